import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { composeSupergraph, generateSubgraphSdl } from '../lib/compose.js';
import { deploymentProblems } from '../lib/deployment.js';
import { createSubgraph } from '../lib/new-subgraph.js';
import { bin, repoRoot } from '../lib/paths.js';
import { readSubgraphs } from '../lib/subgraphs.js';

/**
 * A scratch copy of the repository's graph: the files the generator edits and the schemas it
 * composes with are copied; what the new subgraph builds on (node_modules, packages, scripts) is linked.
 */
function scratchGraph(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'radiata-new-subgraph-'));
  const copy = [
    'rover.yaml',
    'docker-compose.yml',
    'monitoring/prometheus/prometheus.yml',
    'gateway/test/support/graph.ts',
    'gateway/package.json',
    'schema',
    'tsconfig.base.json',
    'tsconfig.json',
    'jest.preset.cjs',
    'jest.transform.cjs',
  ];
  for (const entry of copy) {
    mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  }
  for (const entry of ['node_modules', 'packages', 'scripts'])
    symlinkSync(path.join(repoRoot, entry), path.join(root, entry));
  mkdirSync(path.join(root, 'subgraphs'));
  for (const { name } of readSubgraphs()) {
    symlinkSync(path.join(repoRoot, 'subgraphs', name), path.join(root, 'subgraphs', name));
  }
  return root;
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));

describe('npm run new:subgraph', () => {
  let root: string;
  beforeAll(() => {
    root = scratchGraph();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a subgraph that is registered everywhere, composes, and passes its own tests', async () => {
    const ports = readSubgraphs(path.join(root, 'rover.yaml')).map((subgraph) => subgraph.port);
    const created = createSubgraph({ root, name: 'sample', entity: 'Gizmo', now: new Date('2026-12-01T00:00:00Z') });
    expect(created.port).toBe(Math.max(...ports) + 1);

    // Registered: rover.yaml, docker-compose.yml, Prometheus, the whole-graph tests.
    expect(readSubgraphs(path.join(root, 'rover.yaml')).at(-1)).toMatchObject({ name: 'sample', port: created.port });
    expect(deploymentProblems(root)).toEqual([]);
    // Its container gets what every subgraph has, not the settings of the one it was modelled on.
    const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
    const service = compose.services.sample;
    expect(Object.keys(service.environment).sort()).toEqual(['<<', 'DATABASE_URL', 'METRICS_PORT', 'PORT']);
    expect(Object.keys(service.depends_on).sort()).toEqual(['migrate', 'rabbitmq', 'redis']);
    const graph = readFileSync(path.join(root, 'gateway/test/support/graph.ts'), 'utf8');
    expect(graph).toContain("import { sampleSubgraph } from '@radiata/sample/subgraph';");
    expect(graph).toMatch(/export const SUBGRAPHS = \{[^}]*\n {2}sample: sampleSubgraph,\n\} as const;/);

    // The template's names are gone; the shared migrations are copied unchanged.
    const files = filesUnder(created.dir);
    const leftovers = files.filter((file) => /widget|4099/i.test(`${file}\n${readFileSync(file, 'utf8')}`));
    expect(leftovers).toEqual([]);
    const migrations = readdirSync(path.join(created.dir, 'db/migrations')).sort();
    expect(migrations).toEqual(['20261201000000_outbox.sql', '20261201000001_inbox.sql', '20261201000002_sample.sql']);
    const migration = (file: string) => readFileSync(path.join(created.dir, 'db/migrations', file), 'utf8');
    expect(migration('20261201000000_outbox.sql')).toBe(
      readFileSync(path.join(repoRoot, 'packages/outbox/db/migrations/20261125000100_outbox.sql'), 'utf8'),
    );
    expect(migration('20261201000001_inbox.sql')).toBe(
      readFileSync(path.join(repoRoot, 'packages/inbox/db/migrations/20261130000000_inbox.sql'), 'utf8'),
    );

    // What the CLI then runs: the Prisma client, the schemas, the new subgraph's tests.
    const env = { ...process.env, PATH: `${path.dirname(bin('prisma'))}${path.delimiter}${process.env.PATH}` };
    const run = (command: string, args: string[], cwd: string) => {
      const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    };
    const generate = run(process.execPath, [path.join(repoRoot, 'scripts/prisma-generate.mjs')], created.dir);
    expect(generate).toMatchObject({ status: 0 });

    // Its SDL, printed from its classes, composes with the committed SDL of the others.
    const subgraphs = readSubgraphs(path.join(root, 'rover.yaml'));
    const sample = subgraphs.find((subgraph) => subgraph.name === 'sample');
    if (!sample) throw new Error('sample is not in rover.yaml');
    const sdl = await generateSubgraphSdl(sample);
    const composed = composeSupergraph(
      subgraphs.map((subgraph) => (subgraph === sample ? { ...subgraph, sdl } : subgraph)),
    );
    if (!composed.ok) throw new Error(composed.errors.join('\n'));
    expect(composed.supergraphSdl).toMatch(/gizmos\(/);
    expect(composed.supergraphSdl).toContain('createGizmo(');

    const tests = run(process.execPath, [path.join(repoRoot, 'node_modules/jest/bin/jest.js'), '--ci'], created.dir);
    expect(tests.output).toMatch(/Tests:\s+4 passed, 4 total/);
    expect(tests.status).toBe(0);
  }, 180_000);

  it('refuses a name that is taken or malformed, before writing anything', () => {
    expect(() => createSubgraph({ root, name: 'users' })).toThrow('a subgraph named users already exists');
    expect(() => createSubgraph({ root, name: 'Order-Service' })).toThrow('use lower-case letters and digits');
    expect(() =>
      createSubgraph({ root, name: 'reviews', port: readSubgraphs(path.join(root, 'rover.yaml'))[0]?.port }),
    ).toThrow(/port \d+ is taken/);
  });
});
