/**
 * The free paging path: OpenFaaS CE's bundled Prometheus + Alertmanager route a gateway 5xx
 * rate alert to PagerDuty (Kibana's PagerDuty connector needs a Gold license). Rendered as
 * data for the OpenFaaS release owner to apply (docs/observability.md, "Free paging path").
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ALERTING_FILES = {
  rules: path.join(__dirname, 'alerting', 'alert.rules.yml'),
  alertmanager: path.join(__dirname, 'alerting', 'alertmanager.yml'),
};
/** Key to add to the `basic-auth` Secret in the openfaas namespace (mounted at /var/secrets). */
export const ROUTING_KEY_SECRET_KEY = 'pagerduty-routing-key';

export interface GatewayAlerting {
  /** Content for `prometheus-config` key `alert.rules.yml`. */
  prometheusRules: string;
  /** Content for `alertmanager-config` key `alertmanager.yml`. */
  alertmanagerConfig: string;
}

export function gatewayAlerting(gateway5xxRatio: number): GatewayAlerting {
  return {
    prometheusRules: readFileSync(ALERTING_FILES.rules, 'utf8').replaceAll('__GATEWAY_5XX_RATIO__', String(gateway5xxRatio)),
    alertmanagerConfig: readFileSync(ALERTING_FILES.alertmanager, 'utf8'),
  };
}
