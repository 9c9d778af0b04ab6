/**
 * The free paging path: OpenFaaS CE's bundled Prometheus + Alertmanager route a gateway 5xx
 * rate alert to PagerDuty (Kibana's PagerDuty connector needs a Gold license). Rendered here,
 * applied to the OpenFaaS release by gateway-paging.ts (docs/observability.md, "Free paging path").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ALERTING_FILES = {
  rules: path.join(__dirname, 'alerting', 'alert.rules.yml'),
  alertmanager: path.join(__dirname, 'alerting', 'alertmanager.yml'),
};
/**
 * Where Alertmanager reads the routing key (`routing_key_file`, Alertmanager >= 0.25): a Secret
 * mounted into its pod, so the key is in no ConfigMap.
 */
export const ROUTING_KEY_FILE = {
  directory: '/etc/alertmanager-pagerduty',
  key: 'routing-key',
  get path(): string {
    return `${this.directory}/${this.key}`;
  },
};

export interface GatewayAlerting {
  /** Content for `prometheus-config` key `alert.rules.yml`. */
  prometheusRules: string;
  /** Content for `alertmanager-config` key `alertmanager.yml`. */
  alertmanagerConfig: string;
}

export function gatewayAlerting(gateway5xxRatio: number): GatewayAlerting {
  return {
    prometheusRules: readFileSync(ALERTING_FILES.rules, 'utf8').replaceAll('__GATEWAY_5XX_RATIO__', String(gateway5xxRatio)),
    alertmanagerConfig: readFileSync(ALERTING_FILES.alertmanager, 'utf8').replaceAll('__ROUTING_KEY_FILE__', ROUTING_KEY_FILE.path),
  };
}
