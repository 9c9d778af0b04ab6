// The platform core: reads and validates the stack's config, then wires the components together.
import { loadConfig } from "./config";

const { config } = loadConfig();

export const stack = config.stack;
export const openfaasEdition = config.openfaas.edition;
