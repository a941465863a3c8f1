import { PrismaPg } from '@prisma/adapter-pg';
import { type Prisma, PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;
/** The client inside an interactive transaction. */
export type Transaction = Prisma.TransactionClient;

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

const prismaCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/** Postgres unique_violation, as surfaced by Prisma. */
export const isUniqueViolation = (error: unknown): boolean => prismaCode(error) === 'P2002';

/** Postgres foreign_key_violation, as surfaced by Prisma. */
export const isForeignKeyViolation = (error: unknown): boolean => prismaCode(error) === 'P2003';
