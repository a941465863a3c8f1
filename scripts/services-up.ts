// `npm run services:up`: makes sure PostgreSQL, Redis and RabbitMQ answer (see lib/services.ts).
import { loadLocalEnv } from './lib/env-file.js';
import { ensureServices } from './lib/services.js';

loadLocalEnv({ generate: true });
await ensureServices();
