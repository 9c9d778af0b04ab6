// PostgreSQL on CloudNativePG: the operator chart, a Cluster (1 primary + N-1 streaming replicas spread
// over zones), login roles as CNPG managed roles with generated passwords, PgBouncer poolers for writes
// (rw) and reads (ro), the migrations Job once the cluster is ready, and the function's DSN Secret.
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseConfig } from "./config";

export const CNPG_CHART = { chart: "cloudnative-pg", version: "0.29.0", repo: "https://cloudnative-pg.github.io/charts" } as const;
/** Default image of operator 1.30.0 (chart 0.29.0); pinned here so an operator upgrade does not move it. */
export const POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie";
/**
 * The poolers' PgBouncer, pinned rather than the operator's default: the function's named
 * prepared statements need PgBouncer >= 1.21 (`max_prepared_statements`) in transaction mode.
 */
export const PGBOUNCER_IMAGE = "ghcr.io/cloudnative-pg/pgbouncer:1.25.1";
const OPERATOR_NAMESPACE = "cnpg-system";
const PORT = 5432;
/** The migrations own the schema; the function writes with pg_write_all_data and reads. */
export const OWNER_ROLE = "nlp_owner";
export const WRITER_ROLE = "ner_writer";
/** Group role analysts join when @pulumi/postgresql manages their grants (analyst-access.ts). */
export const ANALYTICS_READER_ROLE = "analytics_reader";
/** Non-root user of the function image (function/Dockerfile, user `app`). */
const IMAGE_UID = 1000;

export interface PostgresArgs {
  namespace: string;
  /** Namespace of the function; its DSN Secret goes there. */
  functionNamespace: pulumi.Input<string>;
  functionSecretName: string;
  database: DatabaseConfig;
  /** Image of the function; the migrations Job runs `node dist/migrate.js` from it. */
  migrationsImage: pulumi.Input<string>;
  /** Superuser password, only when @pulumi/postgresql connects (database.adminEndpoint). */
  superuserPassword?: pulumi.Output<string>;
}

interface LoginRole {
  name: string;
  secret: k8s.core.v1.Secret;
  password: pulumi.Output<string>;
}

function dsn(role: LoginRole, host: string, database: string): pulumi.Output<string> {
  return pulumi.interpolate`postgresql://${role.name}:${role.password.apply(encodeURIComponent)}@${host}:${PORT}/${database}?sslmode=require`;
}

export class Postgres extends pulumi.ComponentResource {
  readonly cluster: k8s.apiextensions.CustomResource;
  readonly migrations: k8s.batch.v1.Job;
  readonly functionSecret: k8s.core.v1.Secret;
  /** In-cluster host names. */
  readonly primaryHost: string;
  readonly poolerRwHost: string;
  readonly poolerRoHost: string;
  /** Secrets holding each analyst's username and password (basic-auth). */
  readonly analystSecrets: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nlp-pipeline:platform:Postgres", name, {}, opts);
    const db = args.database;
    const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: args.namespace } }, { parent: this });
    const operatorNs = new k8s.core.v1.Namespace(`${name}-operator-namespace`, { metadata: { name: OPERATOR_NAMESPACE } }, { parent: this });
    const operator = new k8s.helm.v3.Release(
      `${name}-operator`,
      {
        name: "cnpg",
        chart: CNPG_CHART.chart,
        version: CNPG_CHART.version,
        repositoryOpts: { repo: CNPG_CHART.repo },
        namespace: operatorNs.metadata.name,
        values: {
          crds: { create: true },
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        },
      },
      { parent: this },
    );

    const loginRole = (role: string, resourceName: string): LoginRole => {
      const password = new random.RandomPassword(`${name}-${resourceName}-password`, { length: 32, special: false }, { parent: this });
      const secret = new k8s.core.v1.Secret(
        `${name}-${resourceName}`,
        {
          metadata: { name: `${db.clusterName}-${resourceName}`, namespace: ns.metadata.name, labels: { "cnpg.io/reload": "true" } },
          type: "kubernetes.io/basic-auth",
          stringData: { username: role, password: password.result },
        },
        { parent: this },
      );
      return { name: role, secret, password: password.result };
    };
    const owner = loginRole(OWNER_ROLE, "owner");
    const writer = loginRole(WRITER_ROLE, "writer");
    const analysts = db.analysts.map((analyst) => loginRole(analyst, `analyst-${analyst.replace(/_/g, "-")}`));
    this.analystSecrets = Object.fromEntries(analysts.map((a) => [a.name, a.secret.metadata.name]));

    // Analysts read everything through pg_read_all_data unless @pulumi/postgresql can reach the primary
    // and narrow them to the analytics schema through a group role (analyst-access.ts).
    const analystRoles = db.adminEndpoint ? [ANALYTICS_READER_ROLE] : ["pg_read_all_data"];
    const managedRole = (role: LoginRole, inRoles: string[], comment: string) => ({
      name: role.name,
      ensure: "present",
      login: true,
      inRoles,
      passwordSecret: { name: role.secret.metadata.name },
      comment,
    });

    let superuserSecret: k8s.core.v1.Secret | undefined;
    if (db.adminEndpoint) {
      if (!args.superuserPassword) throw new Error("database.adminEndpoint needs the superuser password");
      superuserSecret = new k8s.core.v1.Secret(
        `${name}-superuser`,
        {
          metadata: { name: `${db.clusterName}-superuser`, namespace: ns.metadata.name },
          type: "kubernetes.io/basic-auth",
          stringData: { username: "postgres", password: args.superuserPassword },
        },
        { parent: this },
      );
    }

    this.cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: {
          name: db.clusterName,
          namespace: ns.metadata.name,
          // Pulumi waits for the operator's Ready condition, so the migrations run against a live primary.
          annotations: { "pulumi.com/waitFor": "condition=Ready" },
        },
        spec: {
          instances: db.instances,
          imageName: POSTGRES_IMAGE,
          primaryUpdateStrategy: "unsupervised",
          storage: { size: db.storage.size, ...(db.storage.storageClass ? { storageClass: db.storage.storageClass } : {}) },
          ...(db.walStorage ? { walStorage: { size: db.walStorage.size, ...(db.walStorage.storageClass ? { storageClass: db.walStorage.storageClass } : {}) } } : {}),
          resources: db.resources,
          postgresql: { parameters: db.parameters },
          affinity: { enablePodAntiAffinity: true, topologyKey: db.topologyKey, podAntiAffinityType: db.antiAffinity },
          bootstrap: { initdb: { database: db.database, owner: OWNER_ROLE, secret: { name: owner.secret.metadata.name } } },
          managed: {
            roles: [
              managedRole(writer, ["pg_read_all_data", "pg_write_all_data"], "ner-processor: writes results, reads them back"),
              ...analysts.map((analyst) => managedRole(analyst, analystRoles, "analyst: read-only")),
            ],
          },
          enableSuperuserAccess: Boolean(superuserSecret),
          ...(superuserSecret ? { superuserSecret: { name: superuserSecret.metadata.name } } : {}),
        },
      },
      { parent: this, dependsOn: [operator, owner.secret, writer.secret, ...analysts.map((a) => a.secret)] },
    );

    this.primaryHost = `${db.clusterName}-rw.${args.namespace}.svc.cluster.local`;
    this.poolerRwHost = `${db.clusterName}-pooler-rw.${args.namespace}.svc.cluster.local`;
    this.poolerRoHost = `${db.clusterName}-pooler-ro.${args.namespace}.svc.cluster.local`;
    for (const type of ["rw", "ro"] as const) {
      new k8s.apiextensions.CustomResource(
        `${name}-pooler-${type}`,
        {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Pooler",
          metadata: { name: `${db.clusterName}-pooler-${type}`, namespace: ns.metadata.name },
          spec: {
            cluster: { name: db.clusterName },
            instances: db.pooler.instances,
            type,
            pgbouncer: {
              // Transaction pooling: many function pods share few server connections. PgBouncer >= 1.21
              // keeps protocol-level prepared statements working in this mode.
              poolMode: "transaction",
              parameters: {
                default_pool_size: String(db.pooler.defaultPoolSize),
                max_client_conn: String(db.pooler.maxClientConn),
                max_prepared_statements: "200",
              },
            },
            template: { metadata: {}, spec: { containers: [{ name: "pgbouncer", image: PGBOUNCER_IMAGE, resources: db.pooler.resources }] } },
          },
        },
        { parent: this, dependsOn: [this.cluster] },
      );
    }

    // The function's Secret (contracts.md): DSNs through the poolers, mounted as files by OpenFaaS.
    this.functionSecret = new k8s.core.v1.Secret(
      `${name}-function-db`,
      {
        metadata: { name: args.functionSecretName, namespace: args.functionNamespace },
        stringData: {
          "db-primary-dsn": dsn(writer, this.poolerRwHost, db.database),
          "db-replica-dsn": dsn(writer, this.poolerRoHost, db.database),
        },
      },
      { parent: this },
    );

    // Migrations go straight to the primary, not through PgBouncer: node-pg-migrate holds a session
    // advisory lock, which transaction pooling does not keep.
    const migrationsSecret = new k8s.core.v1.Secret(
      `${name}-migrations-db`,
      { metadata: { name: "ner-processor-migrations", namespace: ns.metadata.name }, stringData: { "db-primary-dsn": dsn(owner, this.primaryHost, db.database) } },
      { parent: this },
    );
    const secretsDir = "/var/run/secrets/nlp-db";
    this.migrations = new k8s.batch.v1.Job(
      `${name}-migrations`,
      {
        metadata: {
          // One Job per image: a new image runs its migrations once; Jobs cannot be changed in place.
          name: pulumi.output(args.migrationsImage).apply((image) => `ner-processor-migrate-${createHash("sha256").update(image).digest("hex").slice(0, 10)}`),
          namespace: ns.metadata.name,
          labels: { "app.kubernetes.io/name": "ner-processor-migrations", "com.my-app.service": "nlp-pipeline" },
        },
        spec: {
          backoffLimit: 6,
          activeDeadlineSeconds: 900,
          template: {
            metadata: { labels: { "com.my-app.service": "nlp-pipeline" } },
            spec: {
              restartPolicy: "OnFailure",
              securityContext: { runAsNonRoot: true, runAsUser: IMAGE_UID, runAsGroup: IMAGE_UID, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "migrate",
                  image: args.migrationsImage,
                  command: ["node", "dist/migrate.js"],
                  env: [{ name: "DB_PRIMARY_DSN_FILE", value: `${secretsDir}/db-primary-dsn` }],
                  volumeMounts: [{ name: "db", mountPath: secretsDir, readOnly: true }],
                  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                },
              ],
              volumes: [{ name: "db", secret: { secretName: migrationsSecret.metadata.name } }],
            },
          },
        },
      },
      { parent: this, dependsOn: [this.cluster], replaceOnChanges: ["spec"], deleteBeforeReplace: true },
    );

    this.registerOutputs({
      primaryHost: this.primaryHost,
      poolerRwHost: this.poolerRwHost,
      poolerRoHost: this.poolerRoHost,
      analystSecrets: this.analystSecrets,
    });
  }
}
