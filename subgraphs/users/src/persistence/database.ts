import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  /** Called for every SQL statement (tests count them to prove batching). */
  readonly onQuery?: (sql: string) => void;
}

export function createDatabase(options: DatabaseOptions): Database {
  const adapter = new PrismaPg({ connectionString: options.url, max: options.poolSize });
  if (!options.onQuery) return new PrismaClient({ adapter });
  const db = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = options.onQuery;
  db.$on('query', (event) => onQuery(event.query));
  return db;
}

/** Postgres unique_violation, as surfaced by Prisma. */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
