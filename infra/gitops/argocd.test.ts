// Argo CD in the whole program, under the offline harness with the real stack files.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { dependsOn, findResource, kubernetesObjects, REPO_ROOT, resourcesOfType, runStack, runStackOk, TEST_SECRETS, type StackRunResult } from '../testing/harness';
import { functionApplication, imageOverride } from './application';
import { parseArgoCdConfig } from './config';
import { ARGO_CD_CHART, argoCdValues } from './values';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const APPLICATION = 'kubernetes:argoproj.io/v1alpha1:Application';
const REPO = 'https://github.com/acme/nlp-pipeline.git';

function stackArgoCdConfig(stack: string) {
  const file = parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8'));
  return parseArgoCdConfig(file.config['nlp-pipeline:argocd']);
}

let prod: StackRunResult;
let prodPreview: StackRunResult;
let dev: StackRunResult;
let devArgoCdOnCe: StackRunResult;
let invalid: StackRunResult;

before(async () => {
  [prod, prodPreview, dev, devArgoCdOnCe, invalid] = await Promise.all([
    runStackOk({ stack: 'prod', preview: false, secrets: TEST_SECRETS }),
    runStackOk({ stack: 'prod', preview: true, secrets: TEST_SECRETS }),
    runStackOk({ stack: 'dev', preview: true, secrets: TEST_SECRETS }),
    runStackOk({ stack: 'dev', preview: true, secrets: TEST_SECRETS, config: { 'nlp-pipeline:argocd': { enabled: true, repoURL: REPO } } }),
    runStack({ stack: 'prod', preview: true, secrets: TEST_SECRETS, config: { 'nlp-pipeline:argocd': { repoURL: null, exposure: { type: 'loadbalancer' } } } }),
  ]);
});

describe('prod: Argo CD delivers the function', () => {
  it('installs the pinned argo-cd chart as a Helm release (hooks run), with the values for the stack', () => {
    for (const run of [prod, prodPreview]) {
      const release = findResource(run, RELEASE, 'argocd-release').inputs;
      assert.equal(release.chart, 'argo-cd');
      assert.equal(release.version, '10.1.1');
      assert.deepEqual(release.repositoryOpts, { repo: ARGO_CD_CHART.repo });
      assert.equal(release.namespace, 'argocd');
      assert.notEqual(release.disableWebhooks, true, 'Helm hooks (redis-secret-init) run');
      const values = release.values;
      assert.equal(values.configs.params['server.insecure'], true, 'prod: TLS ends at the ingress');
      assert.equal(values.server.ingress.hostname, 'argocd.nlp.example.com');
      assert.deepEqual(values, argoCdValues(stackArgoCdConfig('prod')));
    }
    assert.equal(findResource(prod, 'kubernetes:core/v1:Namespace', 'argocd-namespace').inputs.metadata.name, 'argocd');
  });

  it('creates one Application that follows stacks/prod/ and carries the exact image Pulumi built', () => {
    const applications = resourcesOfType(prod, APPLICATION);
    assert.equal(applications.length, 1);
    const application = applications[0].inputs;
    new Application(application as never).validate();
    const image = String(prod.outputs.functionImage);
    assert.match(image, /^ghcr\.io\/acme\/ner-processor:[0-9a-f]+@sha256:[0-9a-f]{64}$/);
    const config = stackArgoCdConfig('prod');
    const expected = functionApplication({ stack: 'prod', argoCdNamespace: 'argocd', repoURL: config.repoURL, targetRevision: 'main', functionNamespace: 'openfaas-fn' });
    const { kustomize, ...source } = application.spec.source;
    assert.deepEqual({ ...application, spec: { ...application.spec, source } }, expected);
    assert.deepEqual(kustomize, { images: [imageOverride(image)] });
    assert.equal(prod.outputs.argocdApplication, 'nlp-pipeline-prod');
  });

  it('in preview only the image is unknown: the rest of the Application shows in the PR comment', () => {
    const application = findResource(prodPreview, APPLICATION, 'argocd-application');
    assert.deepEqual(application.unknownPaths, ['spec.source.kustomize.images[0]']);
    assert.equal(application.inputs.spec.source.path, 'stacks/prod');
  });

  it('creates the Application only after the chart (its CRD) and what the first sync needs', () => {
    const application = findResource(prod, APPLICATION, 'argocd-application');
    for (const [type, name] of [
      [RELEASE, 'argocd-release'],
      [RELEASE, 'openfaas'],
      ['kubernetes:core/v1:Secret', 'postgres-function-db'],
    ]) {
      assert.ok(dependsOn(prod, application, findResource(prod, type, name)), `depends on ${name}`);
    }
  });

  it('never manages an object that Argo CD owns', () => {
    const owned = fs.readdirSync(path.join(REPO_ROOT, 'stacks', 'prod'))
      .filter((file) => file.endsWith('.yaml') && !file.startsWith('kustomiz'))
      .flatMap((file) => parse(fs.readFileSync(path.join(REPO_ROOT, 'stacks', 'prod', file), 'utf8')))
      .map((o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
    assert.ok(owned.includes('openfaas.com/v1 Function openfaas-fn/ner-processor'));
    const managed = kubernetesObjects(prod).map((r) => `${r.inputs.apiVersion} ${r.inputs.kind} ${r.inputs.metadata?.namespace}/${r.inputs.metadata?.name}`);
    assert.deepEqual(managed.filter((key) => owned.includes(key)), []);
    assert.equal(prod.outputs.functionOwner, 'argocd');
  });
});

describe('dev: no Argo CD unless asked for, and no Application on CE', () => {
  it('the dev stack file turns Argo CD off', () => {
    assert.equal(resourcesOfType(dev, RELEASE).some((r) => r.inputs.chart === 'argo-cd'), false);
    assert.equal(resourcesOfType(dev, APPLICATION).length, 0);
    assert.equal(dev.outputs.argocdApplication, undefined);
  });

  it('turned on with OpenFaaS CE, Argo CD is installed but gets nothing to deliver', () => {
    assert.equal(findResource(devArgoCdOnCe, RELEASE, 'argocd-release').inputs.chart, 'argo-cd');
    assert.equal(resourcesOfType(devArgoCdOnCe, APPLICATION).length, 0);
    assert.equal(devArgoCdOnCe.outputs.functionOwner, 'pulumi');
  });
});

it('a bad nlp-pipeline:argocd fails the preview with the key and the fix', () => {
  assert.match(invalid.error ?? '', /nlp-pipeline:argocd\.exposure\.type: must be "port-forward" or "ingress", not "loadbalancer"\. Fix: pulumi config set --path 'argocd\.exposure\.type'/);
});
