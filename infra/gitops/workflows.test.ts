// The GitHub Actions workflows cannot run here; these tests check what they would do: that they parse,
// pin their actions, take secrets only from `secrets.*`, and run the right command on the right stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { REPO_ROOT, stackNames } from '../testing/harness';

const WORKFLOWS = path.join(REPO_ROOT, '.github', 'workflows');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = any;

function load(file: string): Yaml {
  const document = parseDocument(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), { uniqueKeys: true });
  assert.deepEqual(document.errors.map((e) => e.message), [], `${file} parses`);
  return document.toJS();
}

const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const workflows = Object.fromEntries(files.map((f) => [f, load(f)])) as Record<string, Yaml>;

/** Every `uses:` in a workflow: job-level (reusable workflows) and step-level (actions). */
function usesOf(workflow: Yaml): string[] {
  return Object.values(workflow.jobs as Record<string, Yaml>).flatMap((job) => [
    ...(job.uses ? [job.uses as string] : []),
    ...((job.steps ?? []) as Yaml[]).filter((step) => step.uses).map((step) => step.uses as string),
  ]);
}

/** Every key/value under `env:` and `with:` anywhere in a workflow. */
function settingsOf(node: Yaml, found: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(node)) node.forEach((item) => settingsOf(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'env' || key === 'with') && value && typeof value === 'object') found.push(...Object.entries(value));
      settingsOf(value, found);
    }
  }
  return found;
}

function pulumiStep(workflow: Yaml): Yaml {
  const steps = Object.values(workflow.jobs as Record<string, Yaml>).flatMap((job) => (job.steps ?? []) as Yaml[]);
  const step = steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith('pulumi/actions@'));
  assert.ok(step, 'a pulumi/actions step');
  return step;
}

test('the four workflows exist and parse', () => {
  assert.deepEqual(files, ['deploy.yml', 'preview.yml', 'pulumi.yml', 'test.yml']);
});

test('every action is pinned to a version tag and every reusable workflow exists', () => {
  for (const [file, workflow] of Object.entries(workflows)) {
    for (const uses of usesOf(workflow)) {
      if (uses.startsWith('./')) {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, uses)), `${file}: ${uses} exists`);
        continue;
      }
      assert.match(uses, /^[\w.-]+\/[\w.-]+@v\d+(\.\d+){0,2}$/, `${file}: ${uses} is pinned to a version tag`);
    }
  }
  assert.ok(usesOf(workflows['pulumi.yml']).includes('pulumi/actions@v7'));
});

test('credentials come only from secrets.*, never as literals', () => {
  const credential = /TOKEN|PASSWORD|PASSPHRASE|SECRET|KUBECONFIG|ACCESS_KEY/i;
  for (const [file, workflow] of Object.entries(workflows)) {
    const settings = settingsOf(workflow).filter(([key]) => credential.test(key));
    for (const [key, value] of settings) {
      assert.match(String(value), /^\$\{\{ secrets\.[A-Z_]+ \}\}$/, `${file}: ${key}`);
    }
  }
  // The ones that must be there, so this test cannot pass vacuously.
  const keys = settingsOf(workflows['pulumi.yml']).map(([key]) => key);
  for (const key of ['PULUMI_CONFIG_PASSPHRASE', 'KUBECONFIG_CONTENT', 'github-token']) assert.ok(keys.includes(key), key);
});

test('tests run on every push through the project CI entry point', () => {
  const { on, jobs } = workflows['test.yml'];
  assert.ok('push' in on, 'triggered by push');
  assert.equal(on.push, null, 'on every branch (no filter)');
  const runs = Object.values(jobs as Record<string, Yaml>).flatMap((job) => (job.steps as Yaml[]).map((s) => s.run));
  assert.ok(runs.includes('bash .ci/run'));
});

test('the shared Pulumi job runs the command it is given, against the self-managed backend', () => {
  const workflow = workflows['pulumi.yml'];
  assert.deepEqual(Object.keys(workflow.on), ['workflow_call'], 'only ever called');
  assert.deepEqual(Object.keys(workflow.on.workflow_call.inputs).sort(), ['command', 'comment-on-pr', 'environment', 'ref', 'stack']);
  const job = Object.values(workflow.jobs as Record<string, Yaml>)[0];
  assert.equal(job.environment, '${{ inputs.environment }}');
  const step = pulumiStep(workflow);
  assert.equal(step.with.command, '${{ inputs.command }}');
  assert.equal(step.with['stack-name'], '${{ inputs.stack }}');
  assert.equal(step.with['comment-on-pr'], '${{ inputs.comment-on-pr }}');
  assert.match(step.with['cloud-url'], /^\$\{\{ (vars|secrets)\.PULUMI_BACKEND_URL \}\}$/);
  const steps = job.steps as Yaml[];
  assert.ok(steps.findIndex((s) => s.run?.startsWith('npm ci')) < steps.indexOf(step), 'dependencies installed before Pulumi runs the program');
});

test('pull requests get a commented preview of every stack', () => {
  const workflow = workflows['preview.yml'];
  assert.deepEqual(Object.keys(workflow.on), ['pull_request']);
  assert.equal(workflow.permissions['pull-requests'], 'write', 'may comment');
  const job = workflow.jobs.preview;
  assert.equal(job.uses, './.github/workflows/pulumi.yml');
  assert.deepEqual(job.strategy.matrix.stack, stackNames(), 'every Pulumi.<stack>.yaml');
  assert.equal(job.with.command, 'preview');
  assert.equal(job.with.stack, '${{ matrix.stack }}');
  assert.equal(job.with['comment-on-pr'], true);
  assert.notEqual(job.with.environment, 'prod', 'a preview never waits for the prod approval');
});

test('a merge to main deploys dev, then prod behind the protected environment', () => {
  const workflow = workflows['deploy.yml'];
  const trigger = workflow.on.workflow_run;
  assert.deepEqual(Object.keys(workflow.on), ['workflow_run']);
  assert.deepEqual(trigger.workflows, [workflows['test.yml'].name], 'after the test workflow');
  assert.deepEqual(trigger.branches, ['main']);

  const { 'up-dev': dev, 'up-prod': prod } = workflow.jobs;
  assert.match(dev.if, /workflow_run\.conclusion == 'success'/, 'only when the tests passed');
  for (const [job, stack] of [[dev, 'dev'], [prod, 'prod']] as const) {
    assert.equal(job.uses, './.github/workflows/pulumi.yml');
    assert.deepEqual({ command: job.with.command, stack: job.with.stack, environment: job.with.environment }, { command: 'up', stack, environment: stack });
    assert.equal(job.with.ref, '${{ github.event.workflow_run.head_sha }}', 'the tested commit, not a newer one');
  }
  assert.equal(prod.needs, 'up-dev');
});
