// `npm run new:subgraph -- <name> [--entity Order] [--port 4005]`: a new subgraph from
// scripts/templates/subgraph, registered in rover.yaml, docker-compose.yml, Prometheus, the
// whole-graph tests and the gateway's test dependencies; then installed, generated and composed,
// so `npm test -w @radiata/<name>` passes straight away. See docs/ARCHITECTURE.md, "Adding a subgraph".
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { color, errorMessage, fail } from './lib/log.js';
import { createSubgraph } from './lib/new-subgraph.js';
import { bin, repoRoot } from './lib/paths.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { entity: { type: 'string' }, port: { type: 'string' } },
});
const [name] = positionals;
if (!name || positionals.length > 1) fail('usage: npm run new:subgraph -- <name> [--entity Order] [--port 4005]');

let created: ReturnType<typeof createSubgraph>;
try {
  created = createSubgraph({
    name,
    ...(values.entity ? { entity: values.entity } : {}),
    ...(values.port ? { port: Number(values.port) } : {}),
  });
} catch (error) {
  fail(`new:subgraph: ${errorMessage(error)}`);
}
console.log(
  `${color.green('✓')} ${path.relative(repoRoot, created.dir)} (entity ${created.entity}, port ${created.port})`,
);
for (const file of created.edited) console.log(`  edited ${file}`);

const run = (command: string, args: string[]) => {
  console.log(color.dim(`$ ${path.basename(command)} ${args.join(' ')}`));
  if (spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' }).status !== 0) {
    fail(`new:subgraph: \`${path.basename(command)} ${args.join(' ')}\` failed (see above)`);
  }
};
run('npm', ['install', '--no-audit', '--no-fund']);
run('npm', ['run', 'generate', '-w', `@radiata/${name}`]);
run(bin('biome'), ['check', '--write', 'gateway/test/support/graph.ts', path.relative(repoRoot, created.dir)]);
run('npm', ['run', 'compose']);
console.log(`
${color.bold('Next')}: npm test -w @radiata/${name}   (then make the ${created.entity} type and its table yours,
and add the subgraph's own variables to README.md's configuration table)`);
