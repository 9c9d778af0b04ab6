/**
 * `node dist/migrate.js`: applies the database migrations and exits (0 on success). Run by
 * the Kubernetes migrations Job and by `npm start`; safe to run repeatedly and concurrently.
 */
import { loadStorageConfig } from './storage/config';
import { migrate } from './storage/migrations';

async function main(): Promise<void> {
  const config = loadStorageConfig();
  if (config.persistence === 'off') {
    console.log(JSON.stringify({ message: 'PERSISTENCE=off: nothing to migrate' }));
    return;
  }
  const applied = await migrate(config.primaryDsn, { ssl: config.ssl });
  console.log(JSON.stringify({ message: 'migrations complete', applied }));
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ message: 'migration failed', error: { message: (error as Error).message } }));
  process.exitCode = 1;
});
