import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@radiata/testing';
import { Accounts } from '../src/domain/accounts.js';
import { createDatabase, type Database } from '../src/persistence/database.js';

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
export const newCustomer = (db: Database) =>
  new Accounts(db).signUp({
    email: `c${process.pid}.${counter++}@example.com`,
    password: 'password 123',
    name: 'Customer',
  });
