// Analysts' read access narrowed to the analytics schema, managed with @pulumi/postgresql.
//
// @pulumi/postgresql connects from the machine running `pulumi up`, and a database inside a fresh cluster
// is not reachable from there. So this component exists only when the stack names a reachable endpoint
// (database.adminEndpoint: an internal LoadBalancer, a VPN route, or a port-forward started after the
// first `pulumi up`). Without it nothing connects from outside: the analysts' login roles are CNPG
// managed roles in pg_read_all_data, created inside the cluster, and a fresh `pulumi up` cannot fail on
// connectivity. Login roles and passwords always stay with CNPG; this component owns only the group role
// `analytics_reader` and its grants, so no object is managed by two tools.
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import { ANALYTICS_READER_ROLE, OWNER_ROLE } from "./postgres";

export interface AnalystAccessArgs {
  endpoint: { host: string; port: number; sslmode: string };
  superuserPassword: pulumi.Output<string>;
  database: string;
  schema: string;
}

export class AnalystAccess extends pulumi.ComponentResource {
  constructor(name: string, args: AnalystAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nlp-pipeline:platform:AnalystAccess", name, {}, opts);
    const provider = new postgresql.Provider(
      `${name}-provider`,
      {
        host: args.endpoint.host,
        port: args.endpoint.port,
        sslmode: args.endpoint.sslmode,
        username: "postgres",
        password: args.superuserPassword,
        database: args.database,
        superuser: true,
        connectTimeout: 15,
      },
      { parent: this },
    );
    const inDb = { parent: this, provider };
    const reader = new postgresql.Role(`${name}-reader`, { name: ANALYTICS_READER_ROLE, login: false }, inDb);
    const on = { database: args.database, role: reader.name, schema: args.schema };
    new postgresql.Grant(`${name}-schema-usage`, { ...on, objectType: "schema", privileges: ["USAGE"] }, inDb);
    // Tables and views that exist now, and those the migrations (run as the owner) create later.
    new postgresql.Grant(`${name}-select`, { ...on, objectType: "table", privileges: ["SELECT"] }, inDb);
    new postgresql.DefaultPrivileges(`${name}-future-select`, { ...on, owner: OWNER_ROLE, objectType: "table", privileges: ["SELECT"] }, inDb);
    this.registerOutputs({ role: reader.name });
  }
}
