import { createPrismaClient, type DatabaseOptions } from '@radiata/service-runtime';
import { PrismaClient } from '../generated/prisma/client.js';

export type Database = PrismaClient;

export const createDatabase = (options: DatabaseOptions): Database => createPrismaClient(PrismaClient, options);
