// `npm run db:migrate`: applies every subgraph's SQL migrations (subgraphs/<name>/db/migrations)
// to its database: <NAME>_DATABASE_URL, default radiata_<name> on the POSTGRES_URL server.
import { loadLocalEnv } from './lib/env-file.js';
import { color, errorMessage } from './lib/log.js';
import { migrateAll } from './lib/migrate.js';
import { readSubgraphs } from './lib/subgraphs.js';

loadLocalEnv({ generate: false });
try {
  await migrateAll(readSubgraphs());
} catch (error) {
  console.error(color.red(`db:migrate failed: ${errorMessage(error)}`));
  process.exit(1);
}
