// The ner-processor function on OpenFaaS, deployed the way the edition allows: Standard as an
// `openfaas.com/v1 Function` (reconciled by the operator), CE through the gateway REST API. When Argo CD
// owns the Function (Standard with argocd enabled) Pulumi creates nothing here and only hands out the
// manifest: Pulumi and Argo CD must never manage the same object.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { functionDeployment, functionManifest, type FunctionSpecArgs, type OpenFaasFunctionManifest } from "./function-spec";
import { GatewayFunction } from "./openfaas-function-provider";

export type FunctionOwner = "pulumi" | "argocd";

export interface NerFunctionArgs {
  spec: Omit<FunctionSpecArgs, "image">;
  namespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  owner: FunctionOwner;
  /** CE deploy path: gateway reachable from where `pulumi up` runs, with its admin credentials. */
  gateway: { url: string; username: string; password: pulumi.Output<string> };
}

export class NerFunction extends pulumi.ComponentResource {
  /** The Function as Argo CD (or `kubectl apply`) would take it. */
  readonly manifest: pulumi.Output<OpenFaasFunctionManifest>;

  constructor(name: string, args: NerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nlp-pipeline:platform:NerFunction", name, {}, opts);
    this.manifest = pulumi
      .all([args.image, args.namespace])
      .apply(([image, namespace]) => functionManifest({ ...args.spec, image, namespace }));

    if (args.owner === "pulumi" && args.spec.edition === "standard") {
      new k8s.apiextensions.CustomResource(
        name,
        {
          apiVersion: "openfaas.com/v1",
          kind: "Function",
          metadata: { name: args.spec.name, namespace: args.namespace },
          spec: this.manifest.spec,
        },
        { parent: this },
      );
    } else if (args.owner === "pulumi") {
      new GatewayFunction(
        name,
        {
          gatewayUrl: args.gateway.url,
          username: args.gateway.username,
          password: args.gateway.password,
          openfaasFunction: this.manifest.apply((m) => functionDeployment(m.spec, m.metadata.namespace)),
        },
        { parent: this },
      );
    }
    this.registerOutputs({ manifest: this.manifest });
  }
}
