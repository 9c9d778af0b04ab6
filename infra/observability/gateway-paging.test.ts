// The free paging path as wired by the real program, under the offline harness with the real stack files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { checkPolicies } from '../policies';
import { CollectedResource, REPO_ROOT, StackRunResult, TEST_SECRETS, dependsOn, findResource, kubernetesObjects, runStackOk } from '../testing/harness';
import { validateKubernetesObject } from '../testing/kubernetes-schema';
import { deepMerge } from '../testing/stack-config';
import { ROUTING_KEY_FILE } from './alerting';
import { CHART_OBJECTS, CONFIG_CHECKSUM_ANNOTATION, RELEASE_REVISION_ANNOTATION, ROUTING_KEY_SECRET, sha256 } from './gateway-paging';

const ROUTING_KEY = 'R0UT1NGKEYfortests0123456789ab';
const CONFIG_MAP_PATCH = 'kubernetes:core/v1:ConfigMapPatch';
const DEPLOYMENT_PATCH = 'kubernetes:apps/v1:DeploymentPatch';
const PAGING_TYPES = [CONFIG_MAP_PATCH, DEPLOYMENT_PATCH, 'nlp-pipeline:observability:GatewayPaging'];

/** `pulumi config set --secret --path ...observability.alerts.pagerDutyRoutingKey` makes the whole object a secret. */
function observabilityWithKey(stack: string): string {
  const file = parse(readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8'));
  return JSON.stringify(deepMerge(file.config['nlp-pipeline:observability'], { alerts: { pagerDutyRoutingKey: ROUTING_KEY } }));
}
const withKey = (stack: string) => ({ ...TEST_SECRETS, 'nlp-pipeline:observability': observabilityWithKey(stack) });

/** The chart's alertmanager Deployment (openfaas 15.0.6, templates/alertmanager-dep.yaml), fields the patch meets. */
function chartAlertmanager(namespace: string) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'alertmanager', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'alertmanager' } },
      template: {
        metadata: { labels: { app: 'alertmanager' }, annotations: { 'checksum/alertmanager-config': 'chart' } },
        spec: {
          containers: [{
            name: 'alertmanager', image: 'prom/alertmanager:v0.27.0',
            command: ['alertmanager', '--config.file=/alertmanager.yml', '--storage.path=/alertmanager', '--cluster.listen-address='],
            volumeMounts: [
              { mountPath: '/alertmanager.yml', name: 'alertmanager-config', subPath: 'alertmanager.yml' },
              { name: 'auth', readOnly: true, mountPath: '/var/secrets' },
            ],
          }],
          volumes: [
            { name: 'alertmanager-config', configMap: { name: 'alertmanager-config', items: [{ key: 'alertmanager.yml', path: 'alertmanager.yml', mode: 0o644 }] } },
            { name: 'auth', secret: { secretName: 'basic-auth' } },
          ],
        },
      },
    },
  };
}

/** Server-side apply of lists keyed by `key`: entries of the patch replace or join the live ones. */
function mergeByKey<T extends Record<string, any>>(live: T[], patch: T[] | undefined, key: string, merge: (a: T, b: T) => T): T[] {
  const out = live.map((item) => {
    const p = patch?.find((candidate) => candidate[key] === item[key]);
    return p ? merge(item, p) : item;
  });
  return [...out, ...(patch ?? []).filter((p) => !live.some((item) => item[key] === p[key]))];
}

function applyDeploymentPatch(live: ReturnType<typeof chartAlertmanager>, patch: Record<string, any>) {
  const t = live.spec.template;
  const pt = patch.spec.template;
  return {
    ...live,
    spec: {
      ...live.spec,
      template: {
        metadata: { ...t.metadata, annotations: { ...t.metadata.annotations, ...pt.metadata.annotations } },
        spec: {
          ...t.spec,
          containers: mergeByKey(t.spec.containers, pt.spec.containers, 'name', (c, p) => ({
            ...c, volumeMounts: mergeByKey(c.volumeMounts, p.volumeMounts, 'mountPath', (_a, b) => b),
          })),
          volumes: mergeByKey<any>(t.spec.volumes, pt.spec.volumes, 'name', (_a, b) => b),
        },
      },
    },
  };
}

/** Alertmanager's routing for `matchers: ['label="value"']` children without `continue`: first match wins. */
function receiverFor(route: any, labels: Record<string, string>): string {
  for (const child of route.routes ?? []) {
    const matches = (child.matchers as string[]).every((m) => {
      const [, name, value] = /^(\w+)="(.*)"$/.exec(m) ?? [];
      assert.ok(name, `unsupported matcher ${m}`);
      return labels[name] === value;
    });
    if (matches) return receiverFor({ ...child, receiver: child.receiver ?? route.receiver }, labels);
  }
  return route.receiver;
}

/** Dotted paths of every string input containing `needle`. */
function pathsContaining(value: unknown, needle: string, at = ''): string[] {
  if (typeof value === 'string') return value.includes(needle) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsContaining(v, needle, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => pathsContaining(v, needle, at ? `${at}.${k}` : k));
  return [];
}

const pagingResources = (run: StackRunResult) => run.resources.filter((r) => PAGING_TYPES.includes(r.type) || r.inputs.metadata?.name === ROUTING_KEY_SECRET);

describe('GatewayPaging (OpenFaaS Alertmanager -> PagerDuty), wired per stack config', () => {
  let dev: StackRunResult;
  let devPreview: StackRunResult;
  let devPlainConfig: StackRunResult;
  const without: StackRunResult[] = [];
  let prodWithKey: StackRunResult;

  before(async () => {
    const runs = await Promise.all([
      runStackOk({ stack: 'dev', preview: false, secrets: withKey('dev') }),
      runStackOk({ stack: 'dev', preview: true, secrets: withKey('dev') }),
      // Basic license: the key pages through Alertmanager only.
      runStackOk({ stack: 'dev', preview: false, secrets: TEST_SECRETS, config: { 'nlp-pipeline:observability': { alerts: { pagerDutyRoutingKey: ROUTING_KEY, kibanaPagerDuty: false } } } }),
      runStackOk({ stack: 'dev', preview: false, secrets: TEST_SECRETS }),
      runStackOk({ stack: 'prod', preview: false, secrets: TEST_SECRETS }),
      runStackOk({ stack: 'prod', preview: false, secrets: withKey('prod') }),
    ]);
    [dev, devPreview, devPlainConfig] = runs;
    without.push(runs[3], runs[4]);
    prodWithKey = runs[5];
  });

  const patch = (run: StackRunResult, name: string, type = CONFIG_MAP_PATCH) => findResource(run, type, `gateway-paging-${name}`);

  it('changes nothing without a routing key (dev and prod stack files as they are)', () => {
    for (const run of without) assert.deepEqual(pagingResources(run).map((r) => r.name), [], run.stack);
  });

  it('changes nothing on Standard (prod) even with a key: the chart runs no Alertmanager when openfaasPro is true', () => {
    assert.deepEqual(pagingResources(prodWithKey).map((r) => r.name), []);
    assert.equal(findResource(prodWithKey, 'kubernetes:helm.sh/v3:Release', 'openfaas').inputs.values.openfaasPro, true);
  });

  it('with alerts.kibanaPagerDuty false (Basic license), pages through Alertmanager only: no Kibana connector Secret', () => {
    const kibanaSecret = (run: StackRunResult) => run.resources.some((r) => r.type === 'kubernetes:core/v1:Secret' && r.name === 'observability-provisioning-pagerduty');
    assert.equal(kibanaSecret(dev), true, 'default: the key also makes the Kibana connector');
    assert.equal(kibanaSecret(devPlainConfig), false);
    assert.equal(pagingResources(devPlainConfig).length, pagingResources(dev).length);
  });

  it("patches the chart's two ConfigMap keys in the release namespace, force-taking them from Helm", () => {
    for (const run of [dev, devPreview, devPlainConfig]) {
      const rules = patch(run, 'prometheus-rules');
      const alertmanager = patch(run, 'alertmanager-config');
      assert.deepEqual([rules.inputs.metadata.name, Object.keys(rules.inputs.data)], ['prometheus-config', ['alert.rules.yml']]);
      assert.deepEqual([alertmanager.inputs.metadata.name, Object.keys(alertmanager.inputs.data)], ['alertmanager-config', ['alertmanager.yml']]);
      for (const r of [rules, alertmanager]) {
        assert.equal(r.inputs.metadata.namespace, 'openfaas');
        assert.equal(r.inputs.metadata.annotations['pulumi.com/patchForce'], 'true');
      }
    }
  });

  it('applies every patch after the OpenFaaS release, and rolls the pods only after the ConfigMaps changed', () => {
    const release = findResource(dev, 'kubernetes:helm.sh/v3:Release', 'openfaas');
    const all = pagingResources(dev).filter((r) => r.custom);
    assert.equal(all.length, 5);
    for (const r of all) assert.ok(dependsOn(dev, r, release), `${r.type} ${r.name} waits for the release`);
    assert.ok(dependsOn(dev, patch(dev, 'prometheus-rollout', DEPLOYMENT_PATCH), patch(dev, 'prometheus-rules')));
    const amRollout = patch(dev, 'alertmanager-rollout', DEPLOYMENT_PATCH);
    assert.ok(dependsOn(dev, amRollout, patch(dev, 'alertmanager-config')));
    assert.ok(dependsOn(dev, amRollout, findResource(dev, 'kubernetes:core/v1:Secret', 'gateway-paging-routing-key')));
  });

  it("re-applies the patches after every Helm upgrade: they carry the release's revision, unknown until the release is applied", () => {
    const patches = devPreview.resources.filter((r) => r.type === CONFIG_MAP_PATCH || r.type === DEPLOYMENT_PATCH);
    assert.equal(patches.length, 4);
    for (const r of patches) {
      assert.ok(r.unknownPaths.includes(`metadata.annotations.${RELEASE_REVISION_ANNOTATION}`), `${r.name}: ${r.unknownPaths.join(', ')}`);
      if (r.type === DEPLOYMENT_PATCH) assert.ok(r.unknownPaths.includes(`spec.template.metadata.annotations.${RELEASE_REVISION_ANNOTATION}`), r.name);
    }
  });

  it('keeps the routing key a secret, in a Secret only: in no ConfigMap and no other plain input', () => {
    for (const run of [dev, devPlainConfig]) {
      const secret = findResource(run, 'kubernetes:core/v1:Secret', 'gateway-paging-routing-key');
      assert.equal(secret.inputs.metadata.namespace, 'openfaas');
      assert.equal(secret.inputs.stringData[ROUTING_KEY_FILE.key], ROUTING_KEY);
      assert.ok(secret.secretPaths.some((p) => `stringData.${ROUTING_KEY_FILE.key}`.startsWith(p)), 'a Pulumi secret even when set as plain config');
      for (const r of run.resources) {
        for (const at of pathsContaining(r.inputs, ROUTING_KEY)) {
          assert.ok(r.secretPaths.some((p) => at === p || at.startsWith(`${p}.`)), `${r.type} ${r.name} holds the key in plain ${at}`);
        }
      }
      for (const cm of kubernetesObjects(run, 'ConfigMap')) assert.ok(!JSON.stringify(cm.inputs).includes(ROUTING_KEY), cm.name);
    }
  });

  it('routes the gateway 5xx alert to PagerDuty and keeps the scale-up route and rule CE autoscaling needs', () => {
    const config = parse(patch(dev, 'alertmanager-config').inputs.data['alertmanager.yml']);
    const rules = parse(patch(dev, 'prometheus-rules').inputs.data['alert.rules.yml']).groups.flatMap((g: any) => g.rules);
    const rule = (name: string) => rules.find((r: any) => r.alert === name);
    assert.match(rule('GatewayHigh5xxRate').expr, /> 0\.05$/, 'the ratio from Pulumi.dev.yaml');
    assert.equal(receiverFor(config.route, { alertname: 'GatewayHigh5xxRate', ...rule('GatewayHigh5xxRate').labels, function_name: 'ner-processor' }), 'pagerduty');
    assert.equal(receiverFor(config.route, { alertname: 'APIHighInvocationRate', ...rule('APIHighInvocationRate').labels }), 'scale-up');
    const receiver = (name: string) => config.receivers.find((r: any) => r.name === name);
    assert.equal(receiver('scale-up').webhook_configs[0].url, 'http://gateway.openfaas:8080/system/alert');
    assert.deepEqual(Object.keys(receiver('pagerduty').pagerduty_configs[0]).sort(), ['routing_key_file', 'send_resolved', 'severity']);
  });

  it("mounts the key's Secret where routing_key_file points, beside the chart's mounts", () => {
    const config = parse(patch(dev, 'alertmanager-config').inputs.data['alertmanager.yml']);
    const file: string = config.receivers.find((r: any) => r.name === 'pagerduty').pagerduty_configs[0].routing_key_file;
    const patched = applyDeploymentPatch(chartAlertmanager('openfaas'), patch(dev, 'alertmanager-rollout', DEPLOYMENT_PATCH).inputs);
    validateKubernetesObject(patched);
    const container = patched.spec.template.spec.containers.find((c) => c.name === CHART_OBJECTS.alertmanager.container)!;
    const mount = container.volumeMounts.find((m) => m.mountPath === path.posix.dirname(file))!;
    assert.ok(mount, `nothing mounted at ${path.posix.dirname(file)}`);
    assert.equal(container.volumeMounts.length, 3, 'the chart mounts stay');
    const volume: any = patched.spec.template.spec.volumes.find((v) => v.name === mount.name);
    const secret = findResource(dev, 'kubernetes:core/v1:Secret', 'gateway-paging-routing-key');
    assert.equal(volume.secret.secretName, secret.inputs.metadata.name);
    assert.ok(path.posix.basename(file) in secret.inputs.stringData, 'the file is a key of the Secret');
    assert.equal(patched.spec.template.spec.volumes.length, 3);
  });

  it('rolls Prometheus and Alertmanager with a checksum of exactly the config they load', () => {
    for (const [rollout, configPatch, key] of [['prometheus-rollout', 'prometheus-rules', 'alert.rules.yml'], ['alertmanager-rollout', 'alertmanager-config', 'alertmanager.yml']]) {
      const deployment = patch(dev, rollout, DEPLOYMENT_PATCH);
      assert.equal(deployment.inputs.metadata.namespace, 'openfaas');
      assert.equal(deployment.inputs.metadata.name, rollout.split('-')[0]);
      assert.equal(deployment.inputs.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION], sha256(patch(dev, configPatch).inputs.data[key]));
    }
  });

  it('validates every object against the Kubernetes schemas and passes the policies', () => {
    for (const run of [dev, devPreview]) {
      const objects = pagingResources(run).filter((r: CollectedResource) => r.custom && r.type !== DEPLOYMENT_PATCH);
      assert.equal(objects.length, 3);
      for (const r of objects) validateKubernetesObject(r.inputs, r.unknownPaths);
      assert.deepEqual(checkPolicies(run.resources), []);
    }
  });
});
