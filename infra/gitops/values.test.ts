import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgoCdConfig } from './config';
import { argoCdValues } from './values';

const REPO = 'https://github.com/example-org/nlp-pipeline.git';
const portForward = argoCdValues(parseArgoCdConfig({ enabled: true, repoURL: REPO }));
const ingress = argoCdValues(parseArgoCdConfig({
  enabled: true,
  repoURL: REPO,
  exposure: { type: 'ingress', host: 'argocd.example.com', className: 'nginx', clusterIssuer: 'letsencrypt' },
}));

/** Every place in the chart's values where a container's resources go (values.yaml of the argo-cd chart). */
const CONTAINER_RESOURCE_PATHS = [
  'controller', 'repoServer', 'repoServer.copyutil', 'server', 'server.extensions', 'applicationSet',
  'notifications', 'commitServer', 'redis', 'redis.exporter', 'redisSecretInit', 'dex', 'dex.initImage',
];

function at(values: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], values);
}

test('every Argo CD container the chart can start has cpu and memory requests and limits', () => {
  for (const path of CONTAINER_RESOURCE_PATHS) {
    const resources = at(portForward, `${path}.resources`) as Record<string, Record<string, string>> | undefined;
    assert.ok(resources, `${path}.resources is set`);
    for (const kind of ['requests', 'limits']) {
      assert.match(resources[kind]?.cpu ?? '', /^\d+m?$/, `${path}.resources.${kind}.cpu`);
      assert.match(resources[kind]?.memory ?? '', /^\d+(Mi|Gi)$/, `${path}.resources.${kind}.memory`);
    }
  }
});

test('the chart\'s non-root security contexts are left at their defaults', () => {
  for (const path of CONTAINER_RESOURCE_PATHS) {
    assert.equal(at(portForward, `${path}.containerSecurityContext`), undefined, path);
    assert.equal(at(portForward, `${path}.securityContext`), undefined, path);
  }
  assert.equal(at(portForward, 'global.securityContext'), undefined);
});

test('without an ingress the server keeps its own TLS and nothing is exposed', () => {
  assert.equal((at(portForward, 'configs.params') as Record<string, unknown>)['server.insecure'], false);
  assert.deepEqual(at(portForward, 'server.ingress'), { enabled: false });
  assert.equal(at(portForward, 'server.service.type'), 'ClusterIP');
  assert.equal(at(portForward, 'global.domain'), undefined);
});

test('behind an ingress TLS ends there, and the server runs plain HTTP', () => {
  assert.equal((at(ingress, 'configs.params') as Record<string, unknown>)['server.insecure'], true);
  assert.deepEqual(at(ingress, 'server.ingress'), {
    enabled: true,
    ingressClassName: 'nginx',
    hostname: 'argocd.example.com',
    tls: true,
    annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
  });
  assert.equal(at(ingress, 'global.domain'), 'argocd.example.com');
});

test('dex and the unused controllers are off unless asked for', () => {
  assert.equal(at(portForward, 'dex.enabled'), false);
  assert.equal(at(portForward, 'notifications.enabled'), false);
  assert.equal(at(portForward, 'commitServer.enabled'), false);
  const withDex = argoCdValues(parseArgoCdConfig({ enabled: true, repoURL: REPO, dex: true }));
  assert.equal(at(withDex, 'dex.enabled'), true);
});
