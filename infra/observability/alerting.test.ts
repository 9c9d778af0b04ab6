import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { gatewayAlerting, ROUTING_KEY_FILE } from './alerting';

describe('gatewayAlerting (free PagerDuty path through OpenFaaS Alertmanager)', () => {
  const { prometheusRules, alertmanagerConfig } = gatewayAlerting(0.05);
  const rules = parse(prometheusRules);
  const alertmanager = parse(alertmanagerConfig);

  it('adds a 5xx-share rule on the gateway metric with the configured ratio', () => {
    const rule = rules.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'GatewayHigh5xxRate');
    assert.match(rule.expr, /gateway_function_invocation_total\{code=~"5\.\."\}\[5m\]/);
    assert.match(rule.expr, /> 0\.05$/);
    assert.ok(!prometheusRules.includes('__GATEWAY_5XX_RATIO__'));
  });

  it("keeps CE's autoscaling alert and its scale-up webhook route", () => {
    const names = rules.groups.flatMap((g: any) => g.rules).map((r: any) => r.alert);
    assert.ok(names.includes('APIHighInvocationRate'));
    assert.equal(alertmanager.route.receiver, 'scale-up');
    const scaleUp = alertmanager.receivers.find((r: any) => r.name === 'scale-up');
    assert.match(scaleUp.webhook_configs[0].url, /\/system\/alert$/);
  });

  it('routes GatewayHigh5xxRate to PagerDuty with the key read from a mounted Secret file', () => {
    const route = alertmanager.route.routes.find((r: any) => r.receiver === 'pagerduty');
    assert.deepEqual(route.matchers, ['alertname="GatewayHigh5xxRate"']);
    const receiver = alertmanager.receivers.find((r: any) => r.name === 'pagerduty');
    assert.equal(receiver.pagerduty_configs[0].routing_key_file, '/etc/alertmanager-pagerduty/routing-key');
    assert.equal(ROUTING_KEY_FILE.path, '/etc/alertmanager-pagerduty/routing-key');
    assert.ok(!alertmanagerConfig.includes('__'), 'every placeholder substituted');
    assert.ok(!('routing_key' in receiver.pagerduty_configs[0]), 'no key in the ConfigMap');
  });
});
