import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { color, redactUrl } from './log.js';
import { bin, repoRoot } from './paths.js';
import { databaseUrl, type Subgraph } from './subgraphs.js';

/** dbmate talks to a local PostgreSQL without TLS only when told so. */
export function withSslmode(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('sslmode')) parsed.searchParams.set('sslmode', 'disable');
  return parsed.toString();
}

/**
 * Applies each subgraph's SQL migrations (`subgraphs/<name>/db/migrations`) with dbmate; `up`
 * also creates a missing database. Stops at the first failure and throws naming the subgraph.
 */
export async function migrateAll(subgraphs: readonly Subgraph[]): Promise<void> {
  for (const subgraph of subgraphs) {
    const migrationsDir = path.join(subgraph.dir, 'db', 'migrations');
    if (!existsSync(migrationsDir)) {
      console.log(`${subgraph.name}: ${color.dim('no db/migrations, nothing to apply')}`);
      continue;
    }
    const url = withSslmode(databaseUrl(subgraph.name));
    const output = await dbmate(['--url', url, '--migrations-dir', migrationsDir, '--no-dump-schema', 'up']);
    const applied = output.lines.filter((line) => line.startsWith('Applied:')).map((line) => line.slice(9).trim());
    const where = color.dim(redactUrl(url));
    if (output.code !== 0) {
      console.error(output.lines.map((line) => `  ${line}`).join('\n'));
      throw new Error(`${subgraph.name}: dbmate up failed (exit ${output.code}) for ${redactUrl(url)}`);
    }
    if (output.lines.some((line) => line.startsWith('Creating:')))
      console.log(`${subgraph.name}: created the database`);
    if (applied.length === 0) console.log(`${subgraph.name}: up to date ${where}`);
    for (const migration of applied) console.log(`${subgraph.name}: applied ${migration} ${where}`);
  }
}

function dbmate(args: string[]): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin('dbmate'), args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, lines: text.split('\n').filter((line) => line.trim()) }));
  });
}
