// The platform core: reads and validates the stack's config, then wires the components together.
import { loadConfig } from "./config";
import { loadObservabilityConfig } from "./observability/config";
import { Observability } from "./observability/observability";

const { config } = loadConfig();

export const stack = config.stack;
export const openfaasEdition = config.openfaas.edition;

// Observability (ELK via ECK): infra/observability/, config key nlp-pipeline:observability.
const observability = new Observability("observability", {
  config: loadObservabilityConfig(),
  openfaasNamespace: config.namespaces.openfaas,
});
export const kibanaService = observability.kibanaService;
