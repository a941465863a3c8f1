import { fileURLToPath } from 'node:url';

/** The repository root (scripts/lib/ is two levels down). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A tool installed in the root node_modules/.bin (dbmate, tsx, turbo). */
export const bin = (name: string): string => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

/** The gitignored local settings file that dev writes and every root script reads. */
export const envFilePath = fileURLToPath(new URL('../../.env', import.meta.url));
