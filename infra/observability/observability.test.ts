/**
 * Runs the Observability component under Pulumi mocks for the dev and prod settings and
 * checks every object it would create: Kubernetes objects against kubernetes-models 4.x,
 * ECK objects against their typed CRD subset, the project's policies, ordering, and the
 * intended differences between stacks.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as pulumi from '@pulumi/pulumi';
import { Namespace, ConfigMap, Secret, ServiceAccount } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parseObservabilityConfig } from './config';
import { validateEckResource } from './eck';
import { ECK_OPERATOR_CHART, ELASTIC_STACK_VERSION } from './versions';

// Stack settings as in Pulumi.<stack>.yaml under nlp-pipeline:observability.
const small = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string) => ({
  requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit },
});
const STACKS = {
  dev: {
    namespace: 'observability',
    elasticsearch: { nodes: 1, storageSize: '10Gi', resources: small('250m', '1536Mi', '1', '1536Mi') },
    kibana: { resources: small('100m', '1Gi', '500m', '1Gi') },
    logstash: { replicas: 1, storageSize: '1Gi', resources: small('100m', '768Mi', '500m', '768Mi') },
    filebeat: { resources: small('50m', '100Mi', '200m', '200Mi') },
    operator: { resources: small('50m', '150Mi', '500m', '256Mi') },
    retentionDays: 3,
    alerts: { errorThreshold: 10, gateway5xxRatio: 0.05 },
  },
  prod: {
    namespace: 'observability',
    elasticsearch: { nodes: 3, storageSize: '100Gi', resources: small('1', '4Gi', '2', '4Gi') },
    kibana: { resources: small('250m', '2Gi', '1', '2Gi') },
    logstash: { replicas: 2, storageSize: '2Gi', resources: small('500m', '2Gi', '1', '2Gi') },
    filebeat: { resources: small('100m', '200Mi', '500m', '300Mi') },
    operator: { resources: small('100m', '150Mi', '1', '512Mi') },
    retentionDays: 30,
    alerts: { errorThreshold: 25, gateway5xxRatio: 0.02, pagerDutyRoutingKey: 'R0UT1NGKEY0123456789abcdefABCDEF' },
  },
};

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** Inputs as Pulumi sent them, secrets still wrapped. */
  raw: Record<string, any>;
  dependsOn: string[];
}

const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const unwrap = (value: any): any => {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value && typeof value === 'object') {
    if (SECRET_SIG in value) return unwrap(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
  return value;
};

/** Resolves an Output in a test (update mode: every value is known). */
const resolved = <T>(input: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> =>
  new Promise((resolve) => { pulumi.output(input).apply((value) => { resolve(value); return value; }); });

async function render(stack: keyof typeof STACKS): Promise<Registered[]> {
  const registered = new Map<string, Registered>();
  const dependsOnByName = new Map<string, pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource> | undefined>();
  pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.set(`${args.type}::${args.name}`, { type: args.type, name: args.name, inputs: args.inputs, raw: args.inputs, dependsOn: [] });
      const state = { ...args.inputs };
      // Mimic the Kubernetes provider's auto-naming so references resolve like on a real update.
      if (args.type.startsWith('kubernetes:') && !state.metadata?.name) state.metadata = { ...state.metadata, name: `${args.name}-5f3a` };
      return { id: `${args.name}-id`, state };
    },
    call: (args) => args.inputs,
  }, 'nlp-pipeline', stack, false);
  // Loaded after setMocks so resources register against the mock monitor.
  const { Observability } = await import('./observability');
  const component = new Observability('observability', {
    config: parseObservabilityConfig(STACKS[stack]),
    openfaasNamespace: 'openfaas',
  }, {
    transformations: [(args) => {
      dependsOnByName.set(`${args.type}::${args.name}`, args.opts.dependsOn);
      return undefined;
    }],
  });
  await resolved(component.urn);
  // Registrations resolve asynchronously: wait until no new resource appears.
  for (let seen = -1; seen !== registered.size;) {
    seen = registered.size;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const [key, dependsOn] of dependsOnByName) {
    const list = ([] as pulumi.Resource[]).concat((await resolved(dependsOn as pulumi.Input<pulumi.Resource[]>)) ?? []);
    const names: string[] = await Promise.all(list.map((r) => resolved(r.urn)));
    const entry = registered.get(key);
    // URN: urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>
    if (entry) entry.dependsOn = names.map((urn) => urn.split('::').slice(2).map((part, i) => (i === 0 ? part.split('$').pop() : part)).join('::'));
  }
  return [...registered.values()].map((r) => ({ ...r, inputs: unwrap(r.inputs) }));
}

const MODELS: Record<string, { new (data: any): { validate(): void } }> = {
  'kubernetes:core/v1:Namespace': Namespace,
  'kubernetes:core/v1:ConfigMap': ConfigMap,
  'kubernetes:core/v1:Secret': Secret,
  'kubernetes:core/v1:ServiceAccount': ServiceAccount,
  'kubernetes:batch/v1:Job': Job,
  'kubernetes:rbac.authorization.k8s.io/v1:ClusterRole': ClusterRole,
  'kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding': ClusterRoleBinding,
};
const ECK_TYPE = /^kubernetes:(elasticsearch|kibana|logstash|beat)\.k8s\.elastic\.co\/v\w+:/;

describe('Observability under Pulumi mocks', () => {
  const stacks: Record<string, Registered[]> = {};
  before(async () => {
    stacks.dev = await render('dev');
    stacks.prod = await render('prod');
  });

  for (const stack of ['dev', 'prod']) {
    it(`${stack}: every Kubernetes object validates against kubernetes-models 4.x`, () => {
      const core = stacks[stack].filter((r) => r.type.startsWith('kubernetes:') && !ECK_TYPE.test(r.type) && !r.type.includes('helm.sh'));
      assert.ok(core.length >= 7, `only ${core.length} objects`);
      for (const resource of core) {
        const Model = MODELS[resource.type];
        assert.ok(Model, `no schema mapped for ${resource.type}`);
        const [group, version, kind] = resource.type.replace('kubernetes:', '').split(/[/:]/);
        const apiVersion = group === 'core' ? version : `${group}/${version}`;
        assert.doesNotThrow(() => new Model({ apiVersion, kind, ...resource.inputs }).validate(), `${resource.type} ${resource.name}`);
      }
    });

    it(`${stack}: every ECK object matches its CRD subset, at the one pinned stack version`, () => {
      const eck = stacks[stack].filter((r) => ECK_TYPE.test(r.type));
      assert.deepEqual(eck.map((r) => r.inputs.kind).sort(), ['Beat', 'Elasticsearch', 'Kibana', 'Logstash']);
      for (const resource of eck) {
        assert.deepEqual(validateEckResource(resource.inputs), [], resource.name);
        assert.equal(resource.inputs.spec.version, ELASTIC_STACK_VERSION);
      }
    });

    it(`${stack}: ECK objects wait for the operator release (CRDs) and the provisioning Job comes before Logstash`, () => {
      const release = stacks[stack].find((r) => r.type === 'kubernetes:helm.sh/v3:Release');
      assert.ok(release);
      for (const name of ['nlp-pipeline', 'filebeat']) {
        // Components carry the dependsOn; their children inherit it.
        const components = stacks[stack].filter((r) => r.name === name && r.type.startsWith('nlp-pipeline:'));
        assert.ok(components.length > 0, name);
        for (const component of components) {
          assert.ok(component.dependsOn.includes(`${release.type}::${release.name}`), `${component.type} must depend on the operator release`);
        }
      }
      const logstash = stacks[stack].find((r) => r.type === 'nlp-pipeline:observability:Logstash');
      assert.ok(logstash?.dependsOn.includes('nlp-pipeline:observability:Provisioning::observability-provisioning'));
    });

    it(`${stack}: chart and images are pinned; every container has requests and limits`, () => {
      const release = stacks[stack].find((r) => r.type === 'kubernetes:helm.sh/v3:Release')!;
      assert.equal(release.inputs.chart, ECK_OPERATOR_CHART.chart);
      assert.match(release.inputs.version, /^\d+\.\d+\.\d+$/);
      assert.ok(release.inputs.values.resources.limits.memory);
      for (const container of containers(stacks[stack])) {
        if (container.image !== undefined) assert.match(container.image, /^[\w./-]+:\d[\w.-]*$/, 'image pinned to a version tag');
        for (const side of ['requests', 'limits']) {
          assert.ok(container.resources?.[side]?.cpu && container.resources?.[side]?.memory, `${container.name} ${side}`);
        }
      }
    });

    it(`${stack}: pods run non-root except Filebeat (documented exception)`, () => {
      for (const { owner, pod } of pods(stacks[stack])) {
        if (owner === 'Beat') {
          assert.equal(pod.securityContext.runAsUser, 0);
          continue;
        }
        assert.equal(pod.securityContext?.runAsNonRoot, true, `${owner} pod must set runAsNonRoot`);
      }
    });

    it(`${stack}: secret values reach Kubernetes only as Pulumi secrets`, () => {
      for (const secret of stacks[stack].filter((r) => r.type === 'kubernetes:core/v1:Secret')) {
        assert.ok(SECRET_SIG in secret.raw.stringData, 'routing key must be a Pulumi secret');
        assert.ok(secret.inputs.stringData['routing-key']);
      }
      const job = stacks[stack].find((r) => r.type === 'kubernetes:batch/v1:Job')!;
      const env = job.inputs.spec.template.spec.containers[0].env as Array<{ name: string; value?: string }>;
      assert.ok(env.every((e) => !/PASSWORD|ROUTING_KEY/.test(e.name) || e.value === undefined), 'credentials only via secretKeyRef');
    });
  }

  it('dev stays small and single-node; prod runs 3 Elasticsearch nodes with replicas and PagerDuty', () => {
    const es = (stack: string) => stacks[stack].find((r) => r.inputs.kind === 'Elasticsearch')!.inputs.spec.nodeSets[0];
    assert.equal(es('dev').count, 1);
    assert.equal(es('prod').count, 3);
    const files = (stack: string) => stacks[stack].find((r) => r.type === 'kubernetes:core/v1:ConfigMap')!.inputs.data;
    assert.equal(JSON.parse(files('dev')['index-template.json']).template.settings['index.number_of_replicas'], 0);
    assert.equal(JSON.parse(files('prod')['index-template.json']).template.settings['index.number_of_replicas'], 1);
    assert.equal(JSON.parse(files('dev')['ilm-policy.json']).policy.phases.delete.min_age, '3d');
    assert.ok(!Object.keys(files('dev')).some((file) => file.includes('pagerduty')));
    assert.ok(files('prod')['connector.nlp-pipeline-pagerduty.create.json']);
    assert.equal(stacks.dev.filter((r) => r.type === 'kubernetes:core/v1:Secret').length, 0);
    assert.equal(stacks.prod.filter((r) => r.type === 'kubernetes:core/v1:Secret').length, 1);
  });
});

type Container = { name: string; image?: string; resources?: Record<string, { cpu?: string; memory?: string }> };

function pods(resources: Registered[]): Array<{ owner: string; pod: any }> {
  const found: Array<{ owner: string; pod: any }> = [];
  for (const r of resources) {
    const spec = r.inputs.spec;
    if (r.type === 'kubernetes:batch/v1:Job') found.push({ owner: 'Job', pod: spec.template.spec });
    if (r.inputs.kind === 'Elasticsearch') for (const set of spec.nodeSets) found.push({ owner: 'Elasticsearch', pod: set.podTemplate.spec });
    if (r.inputs.kind === 'Kibana' || r.inputs.kind === 'Logstash') found.push({ owner: r.inputs.kind, pod: spec.podTemplate.spec });
    if (r.inputs.kind === 'Beat') found.push({ owner: 'Beat', pod: spec.daemonSet.podTemplate.spec });
  }
  return found;
}

function containers(resources: Registered[]): Container[] {
  return pods(resources).flatMap(({ pod }) => pod.containers as Container[]);
}
