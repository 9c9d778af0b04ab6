// The release manifests Argo CD syncs from stacks/<env>/: every object validated against its schema, the
// kustomization complete and able to take Pulumi's image override, the Function true to the contracts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { FUNCTION_IMAGE_NAME, stackPath } from './application';
import { OPENFAAS_FUNCTION_SCHEMA, type OpenFaaSFunction } from './openfaas-function';
import { REPO_ROOT, stackNames } from '../testing/harness';
import { validateKubernetesObject } from '../testing/kubernetes-schema';


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

const validateFunction = new Ajv({ allErrors: true, strict: true }).compile(OPENFAAS_FUNCTION_SCHEMA);

function validate(object: Yaml): void {
  if (object.apiVersion === 'openfaas.com/v1' && object.kind === 'Function') {
    assert.ok(validateFunction(object), JSON.stringify(validateFunction.errors));
    return;
  }
  validateKubernetesObject(object);
}

function theFunction(stack: string): OpenFaaSFunction {
  const found = objects(stack).filter(({ object }) => object.kind === 'Function').map(({ object }) => object as OpenFaaSFunction);
  assert.equal(found.length, 1, `${stack}: one Function`);
  return found[0];
}

test('there is one stacks/<env>/ folder per Pulumi stack', () => {
  assert.deepEqual(fs.readdirSync(path.join(REPO_ROOT, 'stacks')).sort(), stackNames());
});

for (const stack of stackNames()) {
  test(`${stack}: the folder documents itself and the kustomization's files exist`, () => {
    const dir = path.join(REPO_ROOT, stackPath(stack));
    assert.ok(fs.existsSync(path.join(dir, 'README.md')), 'README.md');
    const k = kustomization(stack);
    assert.equal(k.apiVersion, 'kustomize.config.k8s.io/v1beta1');
    assert.equal(k.kind, 'Kustomization');
    assert.ok(k.resources.length > 0);
    for (const file of [...k.resources, ...(k.configurations ?? [])]) {
      assert.ok(fs.existsSync(path.join(dir, file)), `${stackPath(stack)}/${file} exists`);
    }
    // Nothing in the folder that the kustomization leaves out (Argo CD would never apply it).
    const listed = new Set(['kustomization.yaml', 'README.md', ...k.resources, ...(k.configurations ?? [])]);
    assert.deepEqual(fs.readdirSync(dir).filter((file) => !listed.has(file)), []);
  });

  test(`${stack}: every manifest validates against its schema`, () => {
    const all = objects(stack);
    assert.ok(all.length > 0);
    for (const { file, object } of all) assert.doesNotThrow(() => validate(object), `${file}: ${object.kind}`);
  });

  test(`${stack}: Pulumi's image override reaches the Function`, () => {
    const k = kustomization(stack);
    // The Application overrides by name; the entry must name exactly the image the Function carries.
    assert.deepEqual(k.images, [{ name: FUNCTION_IMAGE_NAME }]);
    assert.equal(theFunction(stack).spec.image, FUNCTION_IMAGE_NAME);
    // Kustomize only rewrites images in container fields it knows: it must be told about spec.image.
    const configurations = (k.configurations as string[]).flatMap((file) => readYaml(path.join(REPO_ROOT, stackPath(stack), file)));
    const imageFields = configurations.flatMap((c) => c.images ?? []);
    assert.deepEqual(imageFields, [{ path: 'spec/image', kind: 'Function' }]);
  });

  test(`${stack}: the Function keeps the contracts (name, namespace, label, secret, env, limits)`, () => {
    const fn = theFunction(stack);
    assert.equal(fn.metadata.name, 'ner-processor');
    assert.equal(fn.metadata.namespace, 'openfaas-fn');
    assert.equal(fn.spec.name, 'ner-processor');
    assert.equal(fn.spec.labels?.['com.my-app.service'], 'nlp-pipeline', 'Filebeat selects the logs by it');
    const min = Number(fn.spec.labels?.['com.openfaas.scale.min']);
    const max = Number(fn.spec.labels?.['com.openfaas.scale.max']);
    assert.ok(min >= 1 && max >= min, `scale.min ${min} <= scale.max ${max}`);
    assert.deepEqual(fn.spec.secrets, ['ner-processor-db']);
    assert.equal(fn.spec.environment?.DB_PRIMARY_DSN_FILE, '/var/openfaas/secrets/db-primary-dsn');
    assert.equal(fn.spec.environment?.DB_REPLICA_DSN_FILE, '/var/openfaas/secrets/db-replica-dsn');
    for (const kind of ['requests', 'limits'] as const) {
      assert.ok(fn.spec[kind]?.cpu && fn.spec[kind]?.memory, `${kind} cpu and memory`);
    }
    assert.equal(fn.spec.readOnlyRootFilesystem, true);
  });
}

test('the schema check is real: a misspelt or mistyped Function field is rejected', () => {
  const fn = structuredClone(theFunction('prod')) as Yaml;
  fn.spec.readOnlyRootFileSystem = true;
  assert.throws(() => validate(fn), /additional/);
  const mistyped = structuredClone(theFunction('prod')) as Yaml;
  mistyped.spec.labels['com.openfaas.scale.max'] = 20;
  assert.throws(() => validate(mistyped), /string/);
});
