/**
 * The one place where observability workloads are allowed to break a platform policy, with
 * the reason. Tests fail on any other violation and on an exception that no longer applies.
 */
export interface SecurityException {
  policy: string;
  /** `<kind> <name>` of the pod template (see observability.test.ts). */
  workload: string;
  reason: string;
}

export const SECURITY_EXCEPTIONS: SecurityException[] = [
  {
    policy: 'non-root',
    workload: 'Beat filebeat',
    reason: 'Filebeat reads other pods\' log files under /var/log/containers and /var/log/pods on the host '
      + '(root-owned, 0640) and keeps its read offsets in a hostPath registry; it runs as uid 0 without '
      + 'privilege escalation, as Elastic documents for Kubernetes. Elasticsearch needs no exception: '
      + 'node.store.allow_mmap=false removes the privileged vm.max_map_count init container.',
  },
];
