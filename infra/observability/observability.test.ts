/**
 * The observability part of the real Pulumi program, run by the offline harness for every
 * stack file: each Kubernetes object validates against kubernetes-models 4.x (ECK pod and
 * claim templates too), each ECK object against its CRD schema (eck-schemas.ts), the platform policies
 * hold (with the documented exceptions only), ordering after the operator's CRDs, and the
 * intended differences between stacks.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { POLICIES, PolicyResource, checkPolicies, nonRoot, requestsAndLimits } from '../policies';
import { CollectedResource, REPO_ROOT, StackRunResult, TEST_SECRETS, dependsOn, findResource, parentOf, runStackOk, stackNames } from '../testing/harness';
import { validateCustomResource } from '../testing/crd-schemas';
import { validateKubernetesObject } from '../testing/kubernetes-schema';
import { stackObservabilityConfig } from './footprint';
import { SECURITY_EXCEPTIONS } from './securityExceptions';
import { ECK_OPERATOR_CHART, ELASTIC_STACK_VERSION } from './versions';

const COMPONENT = 'nlp-pipeline:observability:Observability';
const ECK_TYPE = /^kubernetes:(elasticsearch|kibana|logstash|beat)\.k8s\.elastic\.co\/v\w+:/;
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

/** Resources created under the Observability component (at any depth). */
function ours(run: StackRunResult): CollectedResource[] {
  const under = (r: CollectedResource): boolean => {
    const parent = parentOf(run, r);
    return parent !== undefined && (parent.type === COMPONENT || under(parent));
  };
  return run.resources.filter(under);
}

/** Pod templates inside ECK objects, as synthetic Pods so the platform policies apply to them. */
function eckPods(run: StackRunResult): PolicyResource[] {
  return ours(run).filter((r) => ECK_TYPE.test(r.type)).flatMap((r) => {
    const { kind, spec } = r.inputs;
    const templates = kind === 'Elasticsearch' ? spec.nodeSets.map((set: any) => set.podTemplate)
      : kind === 'Beat' ? [spec.daemonSet.podTemplate] : [spec.podTemplate];
    return templates.map((template: any) => ({ type: 'kubernetes:core/v1:Pod', name: `${kind} ${r.name}`, inputs: { spec: template.spec }, secretPaths: [] }));
  });
}

describe('observability in the Pulumi program (offline harness, real stack files)', () => {
  const runs: Record<string, StackRunResult> = {};
  before(async () => {
    const names = stackNames();
    const results = await Promise.all([
      ...names.map((stack) => runStackOk({ stack, preview: false, secrets: TEST_SECRETS })),
      runStackOk({ stack: 'dev', preview: true, secrets: TEST_SECRETS }),
      runStackOk({ stack: 'prod', preview: false, secrets: TEST_SECRETS, config: { 'nlp-pipeline:observability': { alerts: { pagerDutyRoutingKey: ROUTING_KEY } } } }),
    ]);
    names.forEach((stack, i) => { runs[stack] = results[i]; });
    runs['dev-preview'] = results[names.length];
    runs['prod-pagerduty'] = results[names.length + 1];
  });

  for (const stack of ['dev', 'prod', 'dev-preview', 'prod-pagerduty']) {
    it(`${stack}: every Kubernetes object, ECK pod template and claim template validates (kubernetes-models 4.x)`, () => {
      const core = ours(runs[stack]).filter((r) => r.custom && r.type.startsWith('kubernetes:') && !ECK_TYPE.test(r.type) && !r.type.includes('helm.sh'));
      assert.ok(core.length >= 7, `only ${core.length} objects`);
      for (const r of core) {
        const [group, version, kind] = r.type.replace('kubernetes:', '').split(/[/:]/);
        const object = { apiVersion: group === 'core' ? version : `${group}/${version}`, kind, ...r.inputs };
        assert.doesNotThrow(() => validateKubernetesObject(object), `${r.type} ${r.name}`);
      }
      for (const pod of eckPods(runs[stack])) {
        validateKubernetesObject({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'check' }, template: { spec: pod.inputs.spec } });
      }
      for (const r of ours(runs[stack]).filter((x) => ECK_TYPE.test(x.type))) {
        const claims = r.inputs.kind === 'Elasticsearch' ? r.inputs.spec.nodeSets.flatMap((s: any) => s.volumeClaimTemplates ?? []) : r.inputs.spec.volumeClaimTemplates ?? [];
        for (const claim of claims) validateKubernetesObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...claim });
      }
    });

    it(`${stack}: every ECK object validates against its CRD schema at the one pinned stack version`, () => {
      const eck = ours(runs[stack]).filter((r) => ECK_TYPE.test(r.type));
      assert.deepEqual(eck.map((r) => r.inputs.kind).sort(), ['Beat', 'Elasticsearch', 'Kibana', 'Logstash']);
      for (const r of eck) {
        assert.doesNotThrow(() => validateCustomResource(r.inputs), r.name);
        assert.equal(r.inputs.spec.version, ELASTIC_STACK_VERSION);
      }
    });

    it(`${stack}: platform policies hold, with only the documented exceptions`, () => {
      const violations = [
        ...checkPolicies(ours(runs[stack]).filter((r) => r.custom)),
        ...checkPolicies(eckPods(runs[stack]), [requestsAndLimits, nonRoot]),
      ];
      const unexpected = violations.filter((v) => !SECURITY_EXCEPTIONS.some((e) => e.policy === v.policy && v.resource.endsWith(e.workload)));
      assert.deepEqual(unexpected, []);
      for (const exception of SECURITY_EXCEPTIONS) {
        assert.ok(violations.some((v) => v.policy === exception.policy && v.resource.endsWith(exception.workload)), `stale exception ${exception.workload}`);
      }
      assert.ok(POLICIES.length >= 5);
    });

    it(`${stack}: ECK objects wait for the operator release (CRDs); the template Job precedes Logstash`, () => {
      const run = runs[stack];
      const release = findResource(run, 'kubernetes:helm.sh/v3:Release', 'observability-eck-operator');
      assert.equal(release.inputs.chart, ECK_OPERATOR_CHART.chart);
      assert.equal(release.inputs.version, ECK_OPERATOR_CHART.version);
      assert.equal(release.inputs.repositoryOpts.repo, ECK_OPERATOR_CHART.repo);
      assert.equal(release.inputs.namespace, 'elastic-system');
      assert.equal(release.inputs.values.installCRDs, true);
      assert.deepEqual(release.inputs.values.resources, stackObservabilityConfig(REPO_ROOT, stack.replace(/-.*/, '')).operator.resources);
      for (const r of ours(run).filter((x) => ECK_TYPE.test(x.type))) assert.ok(dependsOn(run, r, release), `${r.type} must wait for the CRDs`);
      const job = ours(run).find((r) => r.type === 'kubernetes:batch/v1:Job')!;
      const logstash = ours(run).find((r) => r.inputs.kind === 'Logstash')!;
      assert.ok(dependsOn(run, logstash, job));
    });
  }

  it('dev stays single-node and small; prod runs 3 Elasticsearch nodes with index replicas', () => {
    const es = (stack: string) => ours(runs[stack]).find((r) => r.inputs.kind === 'Elasticsearch')!.inputs.spec.nodeSets[0];
    const files = (stack: string) => ours(runs[stack]).find((r) => r.type === 'kubernetes:core/v1:ConfigMap')!.inputs.data;
    assert.equal(es('dev').count, 1);
    assert.equal(es('prod').count, 3);
    assert.equal(JSON.parse(files('dev')['index-template.json']).template.settings['index.number_of_replicas'], 0);
    assert.equal(JSON.parse(files('prod')['index-template.json']).template.settings['index.number_of_replicas'], 1);
    assert.equal(JSON.parse(files('dev')['ilm-policy.json']).policy.phases.delete.min_age, '3d');
    assert.equal(JSON.parse(files('prod')['ilm-policy.json']).policy.phases.delete.min_age, '30d');
    assert.equal(runs.dev.outputs.kibanaService, 'nlp-pipeline-kb-http.observability.svc:5601');
  });

  it('the Job reaches Elasticsearch and Kibana through the Services and Secrets ECK derives from their names', () => {
    const resources = ours(runs.dev);
    const es = resources.find((r) => r.inputs.kind === 'Elasticsearch')!.inputs.metadata;
    const kibana = resources.find((r) => r.inputs.kind === 'Kibana')!.inputs.metadata;
    const pod = resources.find((r) => r.type === 'kubernetes:batch/v1:Job')!.inputs.spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    assert.equal(env.ES_URL, `https://${es.name}-es-http.${es.namespace}.svc:9200`);
    assert.equal(env.KIBANA_URL, `https://${kibana.name}-kb-http.${kibana.namespace}.svc:5601`);
    assert.deepEqual(env.ELASTIC_PASSWORD, { secretKeyRef: { name: `${es.name}-es-elastic-user`, key: 'elastic' } });
    const secrets = pod.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName).sort();
    assert.deepEqual(secrets, [`${es.name}-es-http-certs-public`, `${kibana.name}-kb-http-certs-public`]);
    const beat = resources.find((r) => r.inputs.kind === 'Beat')!.inputs.spec;
    const logstash = resources.find((r) => r.inputs.kind === 'Logstash')!.inputs;
    assert.deepEqual(beat.config['output.logstash'].hosts, [`${logstash.metadata.name}-ls-${logstash.spec.services[0].name}.${logstash.metadata.namespace}.svc:5044`]);
  });

  it('PagerDuty only with a routing key: a secret Secret, a connector file and a secretKeyRef, never the key in a file', () => {
    for (const stack of ['dev', 'prod']) {
      assert.equal(ours(runs[stack]).filter((r) => r.type === 'kubernetes:core/v1:Secret').length, 0, stack);
      assert.ok(!Object.keys(ours(runs[stack]).find((r) => r.type === 'kubernetes:core/v1:ConfigMap')!.inputs.data).some((f) => f.includes('pagerduty')));
    }
    const run = runs['prod-pagerduty'];
    const secret = ours(run).find((r) => r.type === 'kubernetes:core/v1:Secret')!;
    assert.equal(secret.inputs.stringData['routing-key'], ROUTING_KEY);
    assert.ok(secret.secretPaths.some((p) => p === 'stringData' || p.startsWith('stringData')));
    const configMap = ours(run).find((r) => r.type === 'kubernetes:core/v1:ConfigMap')!;
    assert.ok(configMap.inputs.data['connector.nlp-pipeline-pagerduty.create.json']);
    assert.ok(!JSON.stringify(configMap.inputs).includes(ROUTING_KEY));
    const env = ours(run).find((r) => r.type === 'kubernetes:batch/v1:Job')!.inputs.spec.template.spec.containers[0].env;
    assert.deepEqual(env.find((e: any) => e.name === 'PAGERDUTY_ROUTING_KEY').valueFrom.secretKeyRef.key, 'routing-key');
  });
});
