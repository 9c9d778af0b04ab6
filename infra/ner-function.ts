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
    // Built with the image and namespace as inputs, so a preview shows every field but the image
    // still to be built.
    const manifest = functionManifest({ ...args.spec, image: args.image, namespace: args.namespace });
    this.manifest = pulumi.output(manifest) as pulumi.Output<OpenFaasFunctionManifest>;

    if (args.owner === "pulumi" && args.spec.edition === "standard") {
      new k8s.apiextensions.CustomResource(name, manifest, { parent: this });
    } else if (args.owner === "pulumi") {
      new GatewayFunction(
        name,
        {
          gatewayUrl: args.gateway.url,
          username: args.gateway.username,
          password: args.gateway.password,
          openfaasFunction: functionDeployment(manifest.spec, args.namespace),
        },
        { parent: this },
      );
    }
    this.registerOutputs({ manifest: this.manifest });
  }
}
