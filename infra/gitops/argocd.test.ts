import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pulumi from '@pulumi/pulumi';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { ArgoCd } from './argocd';
import { parseArgoCdConfig } from './config';
import { ARGO_CD_CHART, argoCdValues } from './values';

interface Registered { type: string; name: string; inputs: Record<string, unknown> }
const registered: Registered[] = [];

void pulumi.runtime.setMocks({
  newResource: (args) => {
    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: () => ({}),
}, 'nlp-pipeline', 'prod', false);

const config = parseArgoCdConfig({ enabled: true, repoURL: 'https://github.com/example-org/nlp-pipeline.git' });
const image = 'registry.example.com/ner-processor:3f2a9c1';

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

async function deploy(name: string, openfaasEdition: 'ce' | 'standard'): Promise<Registered[]> {
  const argocd = new ArgoCd(name, { stack: 'prod', config, openfaasEdition, functionNamespace: 'openfaas-fn', functionImage: image });
  await settled(pulumi.all([argocd.release.urn, argocd.application?.urn ?? pulumi.output('')]));
  return registered.filter((resource) => resource.name.startsWith(`${name}-`));
}

test('Standard: namespace, the pinned chart as a Helm release, and the Application', async () => {
  const resources = await deploy('standard', 'standard');
  assert.deepEqual(resources.map((r) => r.type).sort(), [
    'kubernetes:argoproj.io/v1alpha1:Application',
    'kubernetes:core/v1:Namespace',
    'kubernetes:helm.sh/v3:Release',
  ]);

  const release = resources.find((r) => r.type === 'kubernetes:helm.sh/v3:Release')!.inputs;
  assert.equal(release.chart, 'argo-cd');
  assert.equal(release.version, '10.1.1');
  assert.deepEqual(release.repositoryOpts, { repo: ARGO_CD_CHART.repo });
  assert.equal(release.namespace, 'argocd');
  assert.deepEqual(release.values, argoCdValues(config));
  assert.notEqual(release.disableWebhooks, true, 'Helm hooks run (redis-secret-init)');

  const application = resources.find((r) => r.type === 'kubernetes:argoproj.io/v1alpha1:Application')!.inputs;
  new Application(application as never).validate();
  const spec = application.spec as { source: { kustomize: { images: string[] }; path: string } };
  assert.deepEqual(spec.source.kustomize.images, [`ner-processor=${image}`]);
  assert.equal(spec.source.path, 'stacks/prod');
});

test('CE: Argo CD is installed but there is no Application, the function stays with Pulumi', async () => {
  const resources = await deploy('ce', 'ce');
  assert.deepEqual(resources.map((r) => r.type).sort(), ['kubernetes:core/v1:Namespace', 'kubernetes:helm.sh/v3:Release']);
});
