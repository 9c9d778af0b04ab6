import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { FUNCTION_IMAGE_NAME, functionApplication, imageOverride } from './application';

const args = {
  stack: 'prod',
  argoCdNamespace: 'argocd',
  repoURL: 'https://github.com/example-org/nlp-pipeline.git',
  targetRevision: 'main',
  functionNamespace: 'openfaas-fn',
};
const image = 'ghcr.io/example-org/ner-processor:3f2a9c1@sha256:' + 'a'.repeat(64);

/** The Application as the component completes it once the image is built. */
function withImage(application = functionApplication(args)) {
  return { ...application, spec: { ...application.spec, source: { ...application.spec.source!, kustomize: { images: [imageOverride(image)] } } } };
}

test('the Application validates against the Argo CD Application schema, with and without its image', () => {
  new Application(functionApplication(args)).validate();
  new Application(withImage()).validate();
});

test('the schema check is real: an Application without a repository is rejected', () => {
  const broken = functionApplication(args);
  delete (broken.spec.source as { repoURL?: string }).repoURL;
  assert.throws(() => new Application(broken).validate(), /repoURL/);
});

test('it follows stacks/<env>/ of this repository and syncs it automatically', () => {
  const { metadata, spec } = functionApplication(args);
  assert.equal(metadata.name, 'nlp-pipeline-prod');
  assert.equal(metadata.namespace, 'argocd');
  assert.equal(spec.source?.repoURL, args.repoURL);
  assert.equal(spec.source?.targetRevision, 'main');
  assert.equal(spec.source?.path, 'stacks/prod');
  assert.deepEqual(spec.destination, { server: 'https://kubernetes.default.svc', namespace: 'openfaas-fn' });
  assert.deepEqual(spec.syncPolicy?.automated, { prune: true, selfHeal: true });
  assert.deepEqual(spec.syncPolicy?.syncOptions, ['CreateNamespace=true']);
  assert.equal(functionApplication({ ...args, stack: 'dev' }).spec.source?.path, 'stacks/dev');
});

test('the override swaps the placeholder name of the manifests for the exact image', () => {
  assert.equal(imageOverride(image), `${FUNCTION_IMAGE_NAME}=${image}`);
  assert.equal(FUNCTION_IMAGE_NAME, 'ner-processor');
});
