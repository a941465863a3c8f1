import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULT_PATH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** The static supergraph composed by `npm run compose` from rover.yaml. */
export function readSupergraph(path = DEFAULT_PATH): string {
  return readFileSync(path, 'utf8');
}
