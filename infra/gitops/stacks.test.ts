// The release manifests Argo CD syncs from stacks/<env>/: every object validated against its schema, the
// kustomization complete and able to take Pulumi's image override, and the Function equal to what the
// Pulumi program renders for the same stack config, so Git and Pulumi cannot drift apart.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { OpenFaasFunctionManifest } from '../function-spec';
import { checkPolicies } from '../policies';
import { hasCrdSchema, validateCustomResource } from '../testing/crd-schemas';
import { REPO_ROOT, resourcesOfType, runStackOk, stackNames, TEST_SECRETS, type StackRunResult } from '../testing/harness';
import { isBuiltInKind, validateKubernetesObject } from '../testing/kubernetes-schema';
import { FUNCTION_IMAGE_NAME, stackPath } from './application';
import { parseArgoCdConfig } from './config';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = any;

function readYaml(file: string): Yaml[] {
  const documents = parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  for (const document of list) assert.deepEqual(document.errors.map((e) => e.message), [], `${file} parses`);
  return list.map((document) => document.toJS()).filter((object) => object !== null);
}

function kustomization(stack: string): Yaml {
  return readYaml(path.join(REPO_ROOT, stackPath(stack), 'kustomization.yaml'))[0];
}

/** Every object the kustomization renders from, with the file it came from. */
function objects(stack: string): Array<{ file: string; object: Yaml }> {
  const dir = path.join(REPO_ROOT, stackPath(stack));
  return (kustomization(stack).resources as string[]).flatMap((resource) =>
    readYaml(path.join(dir, resource)).map((object) => ({ file: `${stackPath(stack)}/${resource}`, object })));
}

function validate(object: Yaml): void {
  if (isBuiltInKind(object.apiVersion, object.kind)) validateKubernetesObject(object);
  else if (hasCrdSchema(object.apiVersion, object.kind)) validateCustomResource(object);
  else assert.fail(`no schema for ${object.apiVersion} ${object.kind}`);
}

function committedFunction(stack: string): OpenFaasFunctionManifest {
  const found = objects(stack).filter(({ object }) => object.kind === 'Function').map(({ object }) => object as OpenFaasFunctionManifest);
  assert.equal(found.length, 1, `${stack}: one Function`);
  return found[0];
}

/** What kustomize makes of the Function under the Application's `kustomize.images` override (name=reference). */
function withImageOverride(fn: OpenFaasFunctionManifest, images: string[]): OpenFaasFunctionManifest {
  const override = images.map((entry) => entry.split('=')).find(([name]) => name === fn.spec.image);
  return override ? { ...fn, spec: { ...fn.spec, image: override[1] } } : fn;
}

const APPLICATION = 'kubernetes:argoproj.io/v1alpha1:Application';

/** Whether the stack file has Argo CD deliver the function (Argo CD on, OpenFaaS Standard). */
function argoCdDelivers(stack: string): boolean {
  const config = parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), 'utf8')).config;
  return parseArgoCdConfig(config['nlp-pipeline:argocd']).enabled && config['nlp-pipeline:openfaas']?.edition === 'standard';
}

const runs = new Map<string, StackRunResult>();
before(async () => {
  const results = await Promise.all(stackNames().map((stack) => runStackOk({ stack, preview: false, secrets: TEST_SECRETS })));
  stackNames().forEach((stack, i) => runs.set(stack, results[i]));
});

it('there is one stacks/<env>/ folder per Pulumi stack, and prod is delivered by Argo CD', () => {
  assert.deepEqual(fs.readdirSync(path.join(REPO_ROOT, 'stacks')).sort(), stackNames());
  assert.equal(argoCdDelivers('prod'), true);
  assert.equal(argoCdDelivers('dev'), false, 'dev runs CE');
});

for (const stack of stackNames()) {
  describe(`stacks/${stack}`, () => {
    it('documents itself, and every file the kustomization names exists (and nothing else is there)', () => {
      const dir = path.join(REPO_ROOT, stackPath(stack));
      assert.ok(fs.existsSync(path.join(dir, 'README.md')), 'README.md');
      const k = kustomization(stack);
      assert.equal(k.apiVersion, 'kustomize.config.k8s.io/v1beta1');
      assert.equal(k.kind, 'Kustomization');
      assert.ok(k.resources.length > 0);
      for (const file of [...k.resources, ...(k.configurations ?? [])]) {
        assert.ok(fs.existsSync(path.join(dir, file)), `${stackPath(stack)}/${file} exists`);
      }
      // A manifest the kustomization leaves out would never be applied.
      const listed = new Set(['kustomization.yaml', 'README.md', ...k.resources, ...(k.configurations ?? [])]);
      assert.deepEqual(fs.readdirSync(dir).filter((file) => !listed.has(file)), []);
    });

    it('every manifest validates against its schema', () => {
      const all = objects(stack);
      assert.ok(all.length > 0);
      for (const { file, object } of all) assert.doesNotThrow(() => validate(object), `${file}: ${object.kind}`);
    });

    it("can take Pulumi's image override", () => {
      const k = kustomization(stack);
      // The Application overrides by name: the entry names exactly the image the Function carries.
      assert.deepEqual(k.images, [{ name: FUNCTION_IMAGE_NAME }]);
      assert.equal(committedFunction(stack).spec.image, FUNCTION_IMAGE_NAME);
      // Kustomize rewrites images only in container fields it knows: it must be told about spec.image.
      const configurations = (k.configurations as string[]).flatMap((file) => readYaml(path.join(REPO_ROOT, stackPath(stack), file)));
      assert.deepEqual(configurations.flatMap((c) => c.images ?? []), [{ path: 'spec/image', kind: 'Function' }]);
    });

    it('holds the Function the Pulumi program renders for this stack config (contracts included)', () => {
      const rendered = runs.get(stack)!.outputs.functionManifest as OpenFaasFunctionManifest;
      const expected = { ...rendered, spec: { ...rendered.spec, image: FUNCTION_IMAGE_NAME } };
      assert.deepEqual(committedFunction(stack), expected, `update ${stackPath(stack)}/function.yaml to:\n${stringify(expected)}`);
      // The contracts, so that this test cannot pass on a wrong rendering either.
      const { metadata, spec } = committedFunction(stack);
      assert.deepEqual(metadata, { name: 'ner-processor', namespace: 'openfaas-fn' });
      assert.equal(spec.labels['com.my-app.service'], 'nlp-pipeline');
      assert.deepEqual(spec.secrets, ['ner-processor-db']);
      assert.equal(spec.environment.DB_PRIMARY_DSN_FILE, '/var/openfaas/secrets/db-primary-dsn');
      assert.equal(spec.environment.DB_REPLICA_DSN_FILE, '/var/openfaas/secrets/db-replica-dsn');
      assert.equal(spec.readOnlyRootFilesystem, true);
    });

    if (argoCdDelivers(stack)) {
      it('is applied by Argo CD exactly as Pulumi would deploy it, and passes the platform policies', () => {
        const [application] = resourcesOfType(runs.get(stack)!, APPLICATION);
        const applied = withImageOverride(committedFunction(stack), application.inputs.spec.source.kustomize.images);
        assert.deepEqual(applied, runs.get(stack)!.outputs.functionManifest);
        const resource = { type: 'kubernetes:openfaas.com/v1:Function', name: `${stackPath(stack)}/function.yaml`, inputs: applied, secretPaths: [] };
        assert.deepEqual(checkPolicies([resource]), []);
      });
    } else {
      it('is not used: no Application, Pulumi deploys the function itself', () => {
        assert.equal(resourcesOfType(runs.get(stack)!, APPLICATION).length, 0);
        assert.equal(runs.get(stack)!.outputs.functionOwner, 'pulumi');
      });
    }
  });
}

it('the schema check is real: a misspelt Function field is rejected', () => {
  const fn = structuredClone(committedFunction('prod')) as Yaml;
  fn.spec.readOnlyRootFileSystem = true;
  assert.throws(() => validate(fn), /additional properties/);
});
