import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's dbmate migrations directory (just the inbox table), for tests of this package. */
export const inboxMigrationsDir = fileURLToPath(new URL('../db/migrations/', import.meta.url));

/** The inbox migration (dbmate format) that each consuming subgraph copies into its own db/migrations. */
export const inboxMigrationPath = fileURLToPath(new URL('../db/migrations/20261130000000_inbox.sql', import.meta.url));

/** The migration's text, for a subgraph test asserting its copy has not drifted. */
export const readInboxMigration = (): string => readFileSync(inboxMigrationPath, 'utf8');
