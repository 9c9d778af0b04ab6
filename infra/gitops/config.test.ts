import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgoCdConfig } from './config';

const REPO = 'https://github.com/example-org/nlp-pipeline.git';

test('an absent key means Argo CD off, with defaults for the rest', () => {
  assert.deepEqual(parseArgoCdConfig(undefined), {
    enabled: false,
    namespace: 'argocd',
    repoURL: '',
    targetRevision: 'main',
    exposure: { type: 'port-forward' },
    dex: false,
  });
});

test('a full ingress setup parses', () => {
  const config = parseArgoCdConfig({
    enabled: true,
    namespace: 'gitops',
    repoURL: 'git@github.com:example-org/nlp-pipeline.git',
    targetRevision: 'v1.2.0',
    exposure: { type: 'ingress', host: 'argocd.example.com', className: 'nginx', clusterIssuer: 'letsencrypt' },
    dex: true,
  });
  assert.deepEqual(config.exposure, { type: 'ingress', host: 'argocd.example.com', className: 'nginx', clusterIssuer: 'letsencrypt' });
  assert.equal(config.namespace, 'gitops');
  assert.equal(config.targetRevision, 'v1.2.0');
  assert.equal(config.dex, true);
});

test('bad values fail with the key and the fix', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ enabled: true }, /nlp-pipeline:argocd\.repoURL: is required\. Fix: pulumi config set --path 'argocd\.repoURL'/],
    [{ enabled: true, repoURL: 'github.com/x/y' }, /argocd\.repoURL: must look like https:\/\/github\.com/],
    [{ enabled: 'yes', repoURL: REPO }, /argocd\.enabled: must be true or false, not "yes"/],
    [{ enabled: true, repoURL: REPO, namespace: 'Argo_CD' }, /argocd\.namespace: must look like argocd/],
    [{ enabled: true, repoURL: REPO, exposure: { type: 'nodeport' } }, /argocd\.exposure\.type: must be "port-forward" or "ingress"/],
    [{ enabled: true, repoURL: REPO, exposure: { type: 'ingress', className: 'nginx' } }, /argocd\.exposure\.host: is required/],
    [{ enabled: true, repoURL: REPO, exposure: { type: 'port-forward', host: 'a.b' } }, /argocd\.exposure\.host: is not a known setting/],
    [{ enabled: true, repoURL: REPO, repoUrl: REPO }, /argocd\.repoUrl: is not a known setting\. Fix: use one of enabled, namespace, repoURL/],
    [['enabled'], /nlp-pipeline:argocd must be an object/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => parseArgoCdConfig(raw), { name: 'ArgoCdConfigError', message }, JSON.stringify(raw));
  }
});

test('a disabled stack may leave the repository out, but a given one is still checked', () => {
  assert.equal(parseArgoCdConfig({ enabled: false }).repoURL, '');
  assert.throws(() => parseArgoCdConfig({ enabled: false, repoURL: 'nope' }), /argocd\.repoURL: must look like/);
});
