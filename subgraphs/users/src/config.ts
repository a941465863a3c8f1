import { env, loadConfig } from '@radiata/config';
import { z } from 'zod';

export const usersConfigSchema = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  PORT: env.port(4001),
  DATABASE_URL: env.postgresUrl('radiata_users'),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  JWT_SECRET: env.secret,
  GATEWAY_CONTEXT_SECRET: env.secret,
  ACCESS_TOKEN_TTL_SECONDS: env.positiveInt(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: env.positiveInt(30),
});

export type UsersConfig = z.infer<typeof usersConfigSchema>;

export const loadUsersConfig = (source?: Record<string, string | undefined>): UsersConfig =>
  loadConfig('users', usersConfigSchema, source);
