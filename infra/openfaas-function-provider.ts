// Deploys a function on OpenFaaS Community Edition, which has no Function CRD, through the gateway REST
// API (`/system/functions`, basic auth). A Pulumi dynamic provider, written as an object literal: Pulumi
// serializes it into the state, and a `class` does not survive that under tsx (platform-facts.md).
// Everything it uses must live in this module and use only globals (fetch, Buffer).
import * as pulumi from "@pulumi/pulumi";
import type { FunctionDeployment } from "./function-spec";

export interface GatewayFunctionInputs {
  /** Gateway base URL reachable from the machine running `pulumi up`. */
  gatewayUrl: string;
  username: string;
  password: string;
  openfaasFunction: FunctionDeployment;
  /** Wait between retries of a gateway that is not answering yet (tests shorten it). */
  retryDelayMs?: number;
}

/** Attempts for connection errors and 502/503/504, e.g. a gateway still starting after the chart install. */
const ATTEMPTS = 5;
const REQUEST_TIMEOUT_MS = 30_000;

export interface GatewayError extends Error {
  name: "GatewayError";
  /** HTTP status, when the gateway answered. */
  status?: number;
}

// A factory, not a class: classes do not survive Pulumi's closure serialization under tsx.
function gatewayError(message: string, status?: number): GatewayError {
  return Object.assign(new Error(message), { name: "GatewayError" as const, status });
}

function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof Error && err.name === "GatewayError";
}

async function callGateway(inputs: GatewayFunctionInputs, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const url = `${inputs.gatewayUrl.replace(/\/+$/, "")}${path}`;
  const authorization = `Basic ${Buffer.from(`${inputs.username}:${inputs.password}`).toString("base64")}`;
  let lastProblem = "";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, {
        method,
        headers: { authorization, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status === 401 || response.status === 403) {
        throw gatewayError(`OpenFaaS gateway ${url} rejected the credentials (${response.status}): check the basic-auth Secret in the openfaas namespace`, response.status);
      }
      if (![502, 503, 504].includes(response.status)) return { status: response.status, text };
      lastProblem = `HTTP ${response.status} ${text.slice(0, 200)}`;
    } catch (err) {
      if (isGatewayError(err)) throw err;
      lastProblem = (err as Error).cause ? String((err as Error).cause) : String(err);
    }
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, (inputs.retryDelayMs ?? 2000) * attempt));
  }
  throw gatewayError(
    `OpenFaaS gateway ${url} is not reachable from this machine after ${ATTEMPTS} attempts (${lastProblem}). ` +
      "The CE deploy path calls the gateway REST API from where `pulumi up` runs: expose the gateway (openfaas.exposure) or set openfaas.deployGatewayUrl to a port-forward.",
  );
}

function failure(action: string, name: string, result: { status: number; text: string }): GatewayError {
  return gatewayError(`${action} of function ${name} failed: HTTP ${result.status} ${result.text.trim().slice(0, 500)}`, result.status);
}

async function exists(inputs: GatewayFunctionInputs): Promise<boolean> {
  const fn = inputs.openfaasFunction;
  const result = await callGateway(inputs, "GET", `/system/function/${encodeURIComponent(fn.service)}?namespace=${encodeURIComponent(fn.namespace)}`);
  if (result.status === 200) return true;
  if (result.status === 404) return false;
  throw failure("Reading", fn.service, result);
}

/** PUT the function; when the gateway no longer knows it (deleted out of band), deploy it again. */
async function deploy(inputs: GatewayFunctionInputs, method: "POST" | "PUT"): Promise<void> {
  const fn = inputs.openfaasFunction;
  const result = await callGateway(inputs, method, "/system/functions", fn);
  if (result.status >= 200 && result.status < 300) return;
  if (method === "PUT" && result.status === 404) return deploy(inputs, "POST");
  // A POST for a function that already exists (e.g. state lost): adopt it with an update.
  if (method === "POST" && (await exists(inputs))) return deploy(inputs, "PUT");
  throw failure(method === "POST" ? "Deployment" : "Update", fn.service, result);
}

function functionId(fn: FunctionDeployment): string {
  return `${fn.namespace}/${fn.service}`;
}

export const gatewayFunctionProvider: pulumi.dynamic.ResourceProvider = {
  async diff(_id, olds: GatewayFunctionInputs, news: GatewayFunctionInputs) {
    const replaces = ["service", "namespace"].filter(
      (key) => olds.openfaasFunction?.[key as "service"] !== news.openfaasFunction[key as "service"],
    );
    const changed =
      JSON.stringify(olds.openfaasFunction) !== JSON.stringify(news.openfaasFunction) ||
      olds.gatewayUrl !== news.gatewayUrl ||
      olds.password !== news.password;
    return { changes: changed, replaces: replaces.map((key) => `openfaasFunction.${key}`), deleteBeforeReplace: true };
  },

  async create(inputs: GatewayFunctionInputs) {
    await deploy(inputs, "POST");
    return { id: functionId(inputs.openfaasFunction), outs: inputs };
  },

  async read(id, props: GatewayFunctionInputs) {
    return (await exists(props)) ? { id, props } : { id: "", props };
  },

  async update(_id, _olds: GatewayFunctionInputs, news: GatewayFunctionInputs) {
    await deploy(news, "PUT");
    return { outs: news };
  },

  async delete(_id, props: GatewayFunctionInputs) {
    const fn = props.openfaasFunction;
    const result = await callGateway(props, "DELETE", "/system/functions", { functionName: fn.service, namespace: fn.namespace });
    // Already gone is what delete wants.
    if ((result.status >= 200 && result.status < 300) || result.status === 404) return;
    throw failure("Removal", fn.service, result);
  },
};

/** GatewayFunctionInputs as the program passes them: the image and namespace may still be outputs. */
export interface GatewayFunctionArgs {
  gatewayUrl: pulumi.Input<string>;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
  openfaasFunction: FunctionDeployment<pulumi.Input<string>, pulumi.Input<string>>;
}

/** One function deployed through the CE gateway REST API. */
export class GatewayFunction extends pulumi.dynamic.Resource {
  constructor(name: string, args: GatewayFunctionArgs, opts?: pulumi.CustomResourceOptions) {
    super(gatewayFunctionProvider, name, args, { ...opts, additionalSecretOutputs: ["password"] });
  }
}
