// The platform core: reads and validates the stack's config, then wires the components together.
import * as path from "node:path";
import { AnalystAccess } from "./analyst-access";
import { loadConfig } from "./config";
import { FunctionImage } from "./function-image";
import { ArgoCd } from "./gitops/argocd";
import { loadArgoCdConfig } from "./gitops/config";
import { NerFunction } from "./ner-function";
import { loadObservabilityConfig } from "./observability/config";
import { GatewayPaging } from "./observability/gateway-paging";
import { Observability } from "./observability/observability";
import { OpenFaas } from "./openfaas";
import { Postgres } from "./postgres";

const { config, secrets } = loadConfig();
const functionDir = path.join(__dirname, "..", "function");
const FUNCTION_SECRET = "ner-processor-db";

const openfaas = new OpenFaas("openfaas", {
  namespace: config.namespaces.openfaas,
  functionNamespace: config.namespaces.functions,
  edition: config.openfaas.edition,
  exposure: config.openfaas.exposure,
  functionTimeout: config.function.timeout,
  queue: { ackWait: config.openfaas.queueAckWait, maxInflight: config.openfaas.queueMaxInflight, workers: config.openfaas.queueWorkers },
  gatewayResources: config.openfaas.gatewayResources,
  operatorResources: config.openfaas.operatorResources,
  licenseKey: secrets.openfaasLicenseKey,
  imagePullSecret: config.image.pullSecret,
});

const image = new FunctionImage("ner-processor-image", {
  pinned: config.image.pinned,
  repository: config.image.repository,
  context: functionDir,
  dockerfile: path.join(functionDir, "Dockerfile"),
  registry: config.image.registry && secrets.registryPassword ? { ...config.image.registry, password: secrets.registryPassword } : undefined,
});

const postgres = new Postgres("postgres", {
  namespace: config.namespaces.database,
  functionNamespace: openfaas.functionNamespace,
  functionSecretName: FUNCTION_SECRET,
  database: config.database,
  migrationsImage: image.ref,
  superuserPassword: secrets.databaseAdminPassword,
});

if (config.database.adminEndpoint && secrets.databaseAdminPassword) {
  new AnalystAccess(
    "analyst-access",
    {
      endpoint: config.database.adminEndpoint,
      superuserPassword: secrets.databaseAdminPassword,
      database: config.database.database,
      schema: config.database.analyticsSchema,
    },
    { dependsOn: [postgres.migrations] },
  );
}

const nerFunction = new NerFunction(
  "ner-processor",
  {
    spec: {
      name: config.function.name,
      edition: config.openfaas.edition,
      scaling: config.function.scaling,
      resources: config.function.resources,
      timeout: config.function.timeout,
      maxInflight: config.function.maxInflight,
      logLevel: config.function.logLevel,
      dbPoolMax: config.function.dbPoolMax,
      rawRetentionDays: config.function.rawRetentionDays,
      dbSecretName: FUNCTION_SECRET,
    },
    namespace: openfaas.functionNamespace,
    image: image.ref,
    owner: config.argocdOwnsFunction ? "argocd" : "pulumi",
    gateway: { url: config.openfaas.deployGatewayUrl ?? openfaas.gatewayUrl, username: openfaas.adminUser, password: openfaas.adminPassword },
  },
  // The schema must exist before the first request; the gateway before the CE REST calls.
  { dependsOn: [postgres.migrations, postgres.functionSecret, openfaas.release] },
);

// Argo CD (infra/gitops): on Standard it delivers the Function from stacks/<stack>/, with the image built above.
const argocdConfig = loadArgoCdConfig();
const argocd = argocdConfig.enabled
  ? new ArgoCd("argocd", {
      stack: config.stack,
      config: argocdConfig,
      deliversFunction: config.argocdOwnsFunction,
      functionNamespace: config.namespaces.functions,
      functionImage: image.ref,
      functionPrerequisites: [openfaas.release, postgres.functionSecret, postgres.migrations],
    })
  : undefined;

const sample = `'{"text":"Barack Obama visited Paris with @WHO on Monday"}'`;
export const stack = config.stack;
export const openfaasEdition = config.openfaas.edition;
export const gatewayUrl = openfaas.gatewayUrl;
export const functionUrl = `${openfaas.gatewayUrl}/function/${config.function.name}`;
export const asyncFunctionUrl = `${openfaas.gatewayUrl}/async-function/${config.function.name}`;
export const curlSync = `curl -sS -X POST ${functionUrl} -H 'Content-Type: application/json' -d ${sample}`;
export const curlAsync = `curl -sS -i -X POST ${asyncFunctionUrl} -H 'Content-Type: application/json' -H 'X-Callback-Url: https://example.com/ner-callback' -d ${sample}`;
export const gatewayPasswordCommand = `kubectl get secret -n ${config.namespaces.openfaas} basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 -d`;
export const functionImage = image.ref;
export const functionOwner = config.argocdOwnsFunction ? "argocd" : "pulumi";
export const functionManifest = nerFunction.manifest;
export const argocdApplication = argocd?.applicationName;
export const database = {
  primary: postgres.primaryHost,
  poolerRw: postgres.poolerRwHost,
  poolerRo: postgres.poolerRoHost,
  analystSecrets: postgres.analystSecrets,
};

// Observability (ELK via ECK): infra/observability/, config key nlp-pipeline:observability.
const observabilityConfig = loadObservabilityConfig();
const observability = new Observability("observability", {
  config: observabilityConfig,
  openfaasNamespace: config.namespaces.openfaas,
});
// The free paging path (OpenFaaS Alertmanager -> PagerDuty). CE only: the chart runs Alertmanager
// and mounts alert.rules.yml only when openfaasPro is false.
const routingKey = observabilityConfig.alerts.pagerDutyRoutingKey;
if (routingKey && config.openfaas.edition === "ce") {
  new GatewayPaging(
    "gateway-paging",
    {
      namespace: config.namespaces.openfaas,
      alerting: observability.gatewayAlerting,
      routingKey,
      releaseRevision: openfaas.releaseRevision,
    },
    { dependsOn: [openfaas.release] },
  );
}
export const kibanaService = observability.kibanaService;
