#!/usr/bin/env node
// Runs `prisma generate` in the current workspace without the native schema engine, which
// Prisma's CLI would otherwise download from outside the npm registry. Generation does not
// use the engine; any existing executable satisfies the CLI's check (see TOOLCHAIN.md).
import { spawnSync } from 'node:child_process';

const result = spawnSync('prisma', ['generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
