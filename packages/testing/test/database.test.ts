import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../src/index.js';

const adminUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  const migrations = mkdtempSync(path.join(tmpdir(), 'radiata-migrations-'));
  writeFileSync(
    path.join(migrations, '20260101000000_widgets.sql'),
    '-- migrate:up\nCREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL);\n\n-- migrate:down\nDROP TABLE widgets;\n',
  );

  it('creates a fresh, migrated database and drops it', async () => {
    const first = await createTestDatabase('sample', migrations);
    const second = await createTestDatabase('sample', migrations);
    try {
      expect(first.name).not.toBe(second.name);
      await query(first.url, "INSERT INTO widgets VALUES (1, 'one')");
      expect(await query(first.url, 'SELECT name FROM widgets')).toEqual([{ name: 'one' }]);
      expect(await query(second.url, 'SELECT count(*)::int AS n FROM widgets')).toEqual([{ n: 0 }]);
      const applied = await query<{ version: string }>(first.url, 'SELECT version FROM schema_migrations');
      expect(applied).toEqual([{ version: '20260101000000' }]);
    } finally {
      await first.drop();
      await second.drop();
    }
    const left = await query(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = ANY($1)', [
      [first.name, second.name],
    ]);
    expect(left).toEqual([]);
  });

  it('fails loudly on a broken migration', async () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'radiata-migrations-'));
    writeFileSync(path.join(broken, '20260101000000_bad.sql'), '-- migrate:up\nCREATE TABLE (;\n-- migrate:down\n');
    await expect(createTestDatabase('broken', broken)).rejects.toThrow(/failed: .*syntax error/s);
    const left = await query(
      adminUrl,
      "SELECT 1 FROM pg_database WHERE datname LIKE 'radiata\\_broken\\_test\\_' || $1 || '\\_%'",
      [process.pid],
    );
    expect(left).toEqual([]);
  });
});
