import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

// dbmate's CLI (a node script that runs the binary its platform package ships), run as a
// child process: the same command `npm run db:migrate` uses.
const dbmateCli = join(dirname(createRequire(import.meta.url).resolve('dbmate')), 'cli.js');

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

const adminUrl = () => process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/**
 * A fresh database migrated with the subgraph's own SQL migrations (the same dbmate command
 * as `npm run db:migrate`), so every test file starts from an empty, real schema and suites
 * can run in parallel without sharing state.
 */
export async function createTestDatabase(subgraph: string, migrationsDir: string): Promise<TestDatabase> {
  const name = `radiata_${subgraph}_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name);
  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  try {
    await migrateTestDatabase(url, migrationsDir);
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url, drop };
}

/**
 * Applies the migrations of `migrationsDir` a database lacks (dbmate up): a test of a data
 * migration creates its database from the migrations before it, fills it, then applies the rest.
 */
export async function migrateTestDatabase(url: string, migrationsDir: string): Promise<void> {
  try {
    await run(process.execPath, [dbmateCli, '--url', url, '--migrations-dir', migrationsDir, '--no-dump-schema', 'up']);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`migrating a test database from ${migrationsDir} failed: ${stderr || (error as Error).message}`);
  }
}
