/**
 * Every version the observability stack runs, pinned in one place so an upgrade is one
 * reviewed change (see ../../../shared/design/platform-facts.md, "ELK on Kubernetes: ECK").
 */

/** The ECK operator chart; it installs the Elasticsearch/Kibana/Logstash/Beat CRDs too. */
export const ECK_OPERATOR_CHART = {
  repo: 'https://helm.elastic.co',
  chart: 'eck-operator',
  version: '3.5.0',
} as const;

/** One Elastic Stack version for Elasticsearch, Kibana, Logstash and Filebeat (ECK requires them to match). */
export const ELASTIC_STACK_VERSION = '9.4.3';

/** Small image for the in-cluster provisioning Job: POSIX sh + curl, runs as uid 100 (curl_user). */
export const CURL_IMAGE = 'curlimages/curl:8.11.1';
export const CURL_IMAGE_UID = 100;
