// `npm run compose`: composes the subgraph schemas listed in rover.yaml into
// schema/supergraph.graphql with @apollo/composition (what `rover supergraph compose` does).
// `npm run compose:check` (--check) writes nothing and fails when the committed file is stale.
// --config <rover.yaml> and --out <file> point it elsewhere (for trying a config out).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { composeSupergraph, supergraphPath } from './lib/compose.js';
import { color, errorMessage, fail, shownPath } from './lib/log.js';
import { readSubgraphs, roverConfigPath, type Subgraph } from './lib/subgraphs.js';

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false }, config: { type: 'string' }, out: { type: 'string' } },
});
const outputPath = args.out ? path.resolve(args.out) : supergraphPath;
const shownOutput = shownPath(outputPath);

function loadSubgraphs(): Subgraph[] {
  try {
    return readSubgraphs(args.config ? path.resolve(args.config) : roverConfigPath);
  } catch (error) {
    return fail(`compose: ${errorMessage(error)}`);
  }
}

const subgraphs = loadSubgraphs();
const result = composeSupergraph(subgraphs);
if (!result.ok) {
  console.error(
    color.red(`Composition failed (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}):`),
  );
  for (const error of result.errors) console.error(`  ${color.red('✗')} ${error}`);
  process.exit(1);
}
for (const hint of result.hints) console.log(`${color.yellow('hint')} ${hint}`);

const names = subgraphs.map((subgraph) => subgraph.name).join(', ');
if (args.check) {
  const committed = existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : undefined;
  if (committed !== result.supergraphSdl) {
    fail(`${shownOutput} is stale: run npm run compose${committed === undefined ? ' (the file does not exist)' : ''}`);
  }
  console.log(`${color.green('✓')} ${shownOutput} is up to date (${names})`);
} else {
  mkdirSync(path.dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, result.supergraphSdl);
  console.log(`${color.green('✓')} wrote ${shownOutput} (${names})`);
}
