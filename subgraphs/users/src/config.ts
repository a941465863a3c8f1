import { env } from '@radiata/config';
import { z } from 'zod';

export const usersConfig = z.object({
  ...env.subgraph(4001, 'radiata_users'),
  ...env.redis,
  JWT_SECRET: env.secret,
  ACCESS_TOKEN_TTL_SECONDS: env.positiveInt(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: env.positiveInt(30),
});

export type UsersConfig = z.infer<typeof usersConfig>;
