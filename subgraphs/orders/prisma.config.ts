import { defineConfig } from 'prisma/config';

// Used by `prisma generate` only: migrations are SQL files applied by dbmate (npm run db:migrate).
export default defineConfig({ schema: 'prisma/schema.prisma' });
