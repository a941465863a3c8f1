import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's dbmate migrations directory (just the outbox table), for tests of this package. */
export const outboxMigrationsDir = fileURLToPath(new URL('../db/migrations/', import.meta.url));

/** The outbox migration (dbmate format) that each subgraph copies into its own db/migrations. */
export const outboxMigrationPath = fileURLToPath(
  new URL('../db/migrations/20261125000100_outbox.sql', import.meta.url),
);

/** The up and down DDL of that migration, e.g. for a subgraph test asserting its copy has not drifted. */
export function readOutboxMigration(): { readonly up: string; readonly down: string } {
  const text = readFileSync(outboxMigrationPath, 'utf8');
  const [up = '', down = ''] = text.replace('-- migrate:up', '').split('-- migrate:down');
  return { up: up.trim(), down: down.trim() };
}
