import { createPrismaClient, type DatabaseOptions } from '@radiata/service-runtime';
import { type Prisma, PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;
/** The client inside an interactive transaction. */
export type Transaction = Prisma.TransactionClient;

export const createDatabase = (options: DatabaseOptions): Database => createPrismaClient(PrismaClient, options);
