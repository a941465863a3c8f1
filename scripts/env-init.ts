// `npm run env:init`: writes the gitignored .env with generated local secrets (JWT and
// gateway-context keys, container passwords) if it lacks any; `npm run dev` does it too.
import { loadLocalEnv } from './lib/env-file.js';

loadLocalEnv({ generate: true });
console.log('.env has every local secret');
