/**
 * Argo CD on the cluster, and the Application that delivers the function from Git.
 *
 * Ownership is split on purpose: Pulumi owns Argo CD itself (namespace, Helm release) and
 * the Application object; Argo CD owns everything the Application renders from
 * `stacks/<env>/` (the Function). Pulumi never creates those objects, so neither tool
 * fights the other over them.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { functionApplication, imageOverride } from './application';
import type { ArgoCdConfig } from './config';
import { ARGO_CD_CHART, argoCdValues } from './values';

export interface ArgoCdArgs {
  /** Pulumi stack = environment name; the Application follows `stacks/<stack>/`. */
  stack: string;
  config: ArgoCdConfig;
  /**
   * Whether Argo CD delivers the function (OpenFaaS Standard). On CE there is no Function CRD:
   * Argo CD is installed but gets no Application, and the function stays with Pulumi.
   */
  deliversFunction: boolean;
  /** Namespace of the function (openfaas-fn); created by the OpenFaaS component. */
  functionNamespace: string;
  /** The exact image Pulumi built (or the pinned one from config), handed to Argo CD. */
  functionImage: pulumi.Input<string>;
  /**
   * What the first sync needs in place (the OpenFaaS release with its Function CRD, the
   * function's database Secret), so Argo CD does not start with a failed sync.
   */
  functionPrerequisites?: pulumi.Input<pulumi.Resource>[];
}

export class ArgoCd extends pulumi.ComponentResource {
  public readonly namespace: pulumi.Output<string>;
  public readonly release: k8s.helm.v3.Release;
  /** Absent on OpenFaaS CE, where there is no Function for Argo CD to deliver. */
  public readonly application?: k8s.apiextensions.CustomResource;
  /** Name of the Application (for `argocd app get`); undefined when there is none. */
  public readonly applicationName: pulumi.Output<string | undefined>;

  constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
    super('nlp-pipeline:gitops:ArgoCd', name, {}, opts);

    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
      metadata: { name: args.config.namespace },
    }, { parent: this });
    this.namespace = namespace.metadata.name;

    // helm.v3.Release, not helm.v4.Chart: the chart's redis-secret-init Job is a Helm hook,
    // and only a real Helm release runs hooks.
    this.release = new k8s.helm.v3.Release(`${name}-release`, {
      name: 'argocd',
      chart: ARGO_CD_CHART.chart,
      version: ARGO_CD_CHART.version,
      repositoryOpts: { repo: ARGO_CD_CHART.repo },
      namespace: this.namespace,
      values: argoCdValues(args.config),
      timeout: 600,
      cleanupOnFail: true,
    }, { parent: this });

    if (args.deliversFunction) {
      const application = functionApplication({
        stack: args.stack,
        argoCdNamespace: args.config.namespace,
        repoURL: args.config.repoURL,
        targetRevision: args.config.targetRevision,
        functionNamespace: args.functionNamespace,
      });
      const source = { ...application.spec.source, kustomize: { images: [pulumi.output(args.functionImage).apply(imageOverride)] } };
      this.application = new k8s.apiextensions.CustomResource(`${name}-application`, {
        apiVersion: application.apiVersion,
        kind: application.kind,
        metadata: application.metadata,
        spec: { ...application.spec, source },
      }, {
        parent: this,
        // The Application CRD comes with the chart: create the CR only once the release is in (pulumi-kubernetes #1735).
        dependsOn: [this.release, ...(args.functionPrerequisites ?? [])],
      });
    }
    this.applicationName = this.application ? this.application.metadata.name : pulumi.output(undefined);

    this.registerOutputs({ namespace: this.namespace, release: this.release.status, applicationName: this.applicationName });
  }
}
