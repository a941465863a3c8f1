// `npm run compose`: prints each subgraph's SDL from its type-graphql classes into the file
// rover.yaml names for it (schema/<name>.graphql), then composes those into
// schema/supergraph.graphql with @apollo/composition (what `rover supergraph compose` does), and
// the supergraph's API schema (what clients see, without federation directives) into schema/api.graphql.
// `npm run compose:check` (--check) writes nothing and fails when any committed file is stale.
// --config <rover.yaml> and --out <file> point it elsewhere (for trying a config out; the API schema
// then goes beside that file as <name>.api.graphql).
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  apiSchemaPathFor,
  apiSchemaSdl,
  composeSupergraph,
  generateSubgraphSdl,
  supergraphPath,
} from './lib/compose.js';
import { color, errorMessage, fail, shownPath } from './lib/log.js';
import { readSubgraphs, roverConfigPath, type Subgraph } from './lib/subgraphs.js';

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false }, config: { type: 'string' }, out: { type: 'string' } },
});
const outputPath = args.out ? path.resolve(args.out) : supergraphPath;

function loadSubgraphs(): Subgraph[] {
  try {
    return readSubgraphs(args.config ? path.resolve(args.config) : roverConfigPath);
  } catch (error) {
    return fail(`compose: ${errorMessage(error)}`);
  }
}

const current = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

/** Writes `text` to `file` when it differs; with --check, reports the file as stale instead. */
function update(file: string, text: string, stale: string[]): void {
  if (current(file) === text) return;
  if (args.check) {
    stale.push(shownPath(file));
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`${color.green('✓')} wrote ${shownPath(file)}`);
}

const subgraphs = loadSubgraphs();
const stale: string[] = [];
const generated = [];
for (const subgraph of subgraphs) {
  try {
    const sdl = await generateSubgraphSdl(subgraph);
    update(subgraph.schemaFile, sdl, stale);
    generated.push({ ...subgraph, sdl });
  } catch (error) {
    console.error(error);
    fail(`compose: building the ${subgraph.name} schema failed (see above)`);
  }
}

const result = composeSupergraph(generated);
if (!result.ok) {
  console.error(
    color.red(`Composition failed (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}):`),
  );
  for (const error of result.errors) console.error(`  ${color.red('✗')} ${error}`);
  process.exit(1);
}
for (const hint of result.hints) console.log(`${color.yellow('hint')} ${hint}`);
update(outputPath, result.supergraphSdl, stale);
const apiPath = apiSchemaPathFor(outputPath);
update(apiPath, apiSchemaSdl(result.supergraphSdl), stale);

const names = subgraphs.map((subgraph) => subgraph.name).join(', ');
if (stale.length > 0) fail(`stale: ${stale.join(', ')}: run npm run compose and commit`);
console.log(
  `${color.green('✓')} ${shownPath(outputPath)}, ${shownPath(apiPath)} and every subgraph SDL are up to date (${names})`,
);
