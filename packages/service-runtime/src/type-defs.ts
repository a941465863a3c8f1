import { readFileSync } from 'node:fs';
import { type DocumentNode, parse } from 'graphql';

/** Parses a subgraph's SDL file (the same file rover.yaml composes from). */
export function loadTypeDefs(url: URL): DocumentNode {
  return parse(readFileSync(url, 'utf8'));
}
