import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ComputeResources } from '../config';
import { ECK_OPERATOR_CHART } from './versions';

export interface EckOperatorArgs {
  /** Namespace the operator runs in (created here). */
  namespace: string;
  resources: ComputeResources;
}

/**
 * The ECK operator (chart pinned in versions.ts) and its CRDs. Custom resources must depend
 * on `release`: helm.v3.Release waits for the chart's resources, so the CRDs exist by then
 * (pulumi-kubernetes #1735).
 */
export class EckOperator extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: EckOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:observability:EckOperator', name, {}, opts);

    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
      metadata: { name: args.namespace },
    }, { parent: this });

    this.release = new k8s.helm.v3.Release(name, {
      chart: ECK_OPERATOR_CHART.chart,
      version: ECK_OPERATOR_CHART.version,
      repositoryOpts: { repo: ECK_OPERATOR_CHART.repo },
      namespace: namespace.metadata.name,
      values: {
        installCRDs: true,
        resources: args.resources,
        podSecurityContext: { runAsNonRoot: true },
        // The stack's own telemetry is not needed; keeps the operator from calling home.
        telemetry: { disabled: true },
      },
    }, { parent: this });

    this.registerOutputs({ release: this.release.status });
  }
}
