import { fileURLToPath } from 'node:url';
import { systemClock } from '@radiata/service-runtime';
import { createTestDatabase, type TestDatabase } from '@radiata/testing';
import { Accounts } from '../src/domain/accounts.js';
import { createDatabase, type Database } from '../src/persistence/database.js';
import type { TokenRevocations } from '../src/persistence/revocations.js';

export const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface UsersDatabase {
  readonly testDb: TestDatabase;
  readonly db: Database;
  stop(): Promise<void>;
}

export async function startUsersDatabase(poolSize = 10): Promise<UsersDatabase> {
  const testDb = await createTestDatabase('users', migrationsDir);
  const db = createDatabase({ url: testDb.url, poolSize });
  return {
    testDb,
    db,
    stop: async () => {
      await db.$disconnect();
      await testDb.drop();
    },
  };
}

let counter = 0;
/** Signing up revokes no tokens: these tests run without Redis. */
const noRevocations = {} as TokenRevocations;
export const newCustomer = (db: Database) =>
  new Accounts(db, noRevocations, systemClock).signUp({
    email: `c${process.pid}.${counter++}@example.com`,
    password: 'password 123',
    name: 'Customer',
  });
