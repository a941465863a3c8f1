import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { repoRoot } from './paths.js';
import { envName, metricsPortOf, readSubgraphs } from './subgraphs.js';

/** The template's own names, replaced in every file's path and text (longest first). */
const TEMPLATE = { subgraph: 'widgetry', entity: 'widget', port: '4099' } as const;
export const templateDir = path.join(repoRoot, 'scripts', 'templates', 'subgraph');

export interface NewSubgraphOptions {
  /** Lower-case letters and digits, e.g. `orders`: the rover.yaml name, folder, package and database suffix. */
  readonly name: string;
  /** PascalCase name of its first entity; default the name in PascalCase without a final `s`. */
  readonly entity?: string;
  /** Default: one above the highest port in rover.yaml. */
  readonly port?: number;
  /** The repository to add it to. */
  readonly root?: string;
  readonly now?: Date;
}

export interface NewSubgraph {
  readonly dir: string;
  readonly port: number;
  readonly entity: string;
  /** Files outside the new folder that were edited. */
  readonly edited: readonly string[];
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const lowerFirst = (word: string) => word.charAt(0).toLowerCase() + word.slice(1);

/** dbmate timestamps: YYYYMMDDHHMMSS (UTC), `offset` seconds after `now`. */
const timestamp = (now: Date, offset: number) =>
  new Date(now.getTime() + offset * 1000).toISOString().replace(/\D/g, '').slice(0, 14);

function replacer(name: string, entity: string, port: number): (text: string) => string {
  const plural = `${lowerFirst(entity)}s`;
  const pairs: [string, string][] = [
    [TEMPLATE.subgraph.toUpperCase(), envName(name)],
    [capitalize(TEMPLATE.subgraph), capitalize(name)],
    [TEMPLATE.subgraph, name],
    [capitalize(`${TEMPLATE.entity}s`), capitalize(plural)],
    [`${TEMPLATE.entity}s`, plural],
    [TEMPLATE.entity.toUpperCase(), entity.toUpperCase()],
    [capitalize(TEMPLATE.entity), entity],
    [TEMPLATE.entity, lowerFirst(entity)],
    [TEMPLATE.port, String(port)],
  ];
  return (text) => pairs.reduce((result, [from, to]) => result.split(from).join(to), text);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const file = path.join(dir, entry);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

function editYaml(file: string, edit: (document: Document) => void): void {
  const document = parseDocument(readFileSync(file, 'utf8'));
  edit(document);
  writeFileSync(file, document.toString({ lineWidth: 0, flowCollectionPadding: false }));
}

/** What every subgraph's service has; the rest of the model's (its own settings and dependencies) is not copied. */
const SHARED_ENVIRONMENT = new Set(['<<', 'PORT', 'METRICS_PORT', 'DATABASE_URL']);
const SHARED_DEPENDENCIES = new Set(['migrate', 'postgres', 'redis', 'rabbitmq']);

function keepOnly(map: unknown, keep: ReadonlySet<string>): void {
  if (!isMap(map)) return;
  map.items = map.items.filter((item) => isScalar(item.key) && keep.has(String(item.key.value)));
}

/** A copy of the last subgraph's docker-compose service, with this subgraph's name, ports and database. */
function addComposeService(document: Document, name: string, port: number, like: string): void {
  const services = document.get('services') as YAMLMap;
  const model = services.get(like, true) as YAMLMap | undefined;
  if (!model) throw new Error(`docker-compose.yml has no service "${like}" to copy`);
  const service = model.clone() as YAMLMap;
  keepOnly(service.get('environment', true), SHARED_ENVIRONMENT);
  keepOnly(service.get('depends_on', true), SHARED_DEPENDENCIES);
  service.setIn(['build', 'args', 'SERVICE'], name);
  service.setIn(['environment', 'PORT'], port);
  service.setIn(['environment', 'METRICS_PORT'], metricsPortOf(port));
  const database = String(service.getIn(['environment', 'DATABASE_URL']));
  service.setIn(['environment', 'DATABASE_URL'], database.replace(`/radiata_${like}`, `/radiata_${name}`));
  service.set('ports', document.createNode([`127.0.0.1:${port}:${port}`]));
  // Right after the service it copies, with the blank line that separates services.
  const pair = document.createPair(name, service);
  if (isScalar(pair.key)) pair.key.spaceBefore = true;
  const index = services.items.findIndex((item) => isScalar(item.key) && item.key.value === like);
  services.items.splice(index + 1, 0, pair);

  const migrate = services.get('migrate') as YAMLMap;
  const modelUrl = String(migrate.getIn(['environment', `${envName(like)}_DATABASE_URL`]));
  migrate.setIn(
    ['environment', `${envName(name)}_DATABASE_URL`],
    modelUrl.replace(`/radiata_${like}`, `/radiata_${name}`),
  );

  const gateway = services.get('gateway') as YAMLMap;
  gateway.setIn(['environment', `SUBGRAPH_${envName(name)}_URL`], `http://${name}:${port}/graphql`);
  gateway.setIn(['depends_on', name], document.createNode({ condition: 'service_healthy' }));
}

function addScrapeTarget(document: Document, target: string): void {
  const jobs = document.get('scrape_configs') as YAMLSeq;
  const radiata = jobs.items.find((job) => isMap(job) && job.get('job_name') === 'radiata') as YAMLMap | undefined;
  const targets = radiata?.getIn(['static_configs', 0, 'targets'], true);
  if (!isSeq(targets)) throw new Error('prometheus.yml has no radiata job with static targets');
  targets.add(target);
}

/** Adds the subgraph to the whole-graph tests' SUBGRAPHS (gateway/test/support/graph.ts). */
function addToTestGraph(file: string, name: string): void {
  const text = readFileSync(file, 'utf8');
  const definition = `${name}Subgraph`;
  const importLine = `import { ${definition} } from '@radiata/${name}/subgraph';\n`;
  const marker = '} as const;';
  const end = text.indexOf(marker, text.indexOf('export const SUBGRAPHS = {'));
  if (end < 0) throw new Error(`${file}: no "export const SUBGRAPHS = { ... } as const;"`);
  const withEntry = `${text.slice(0, end)}  ${name}: ${definition},\n${text.slice(end)}`;
  writeFileSync(file, importLine + withEntry);
}

/**
 * Creates `subgraphs/<name>` from the template (a working subgraph: one entity, its queries, an
 * ADMIN-only mutation publishing an event through the outbox, tests), with the shared outbox and
 * inbox migrations, and registers it everywhere the graph lists its subgraphs: rover.yaml,
 * docker-compose.yml, Prometheus, the whole-graph tests and the gateway's test dependencies.
 */
export function createSubgraph(options: NewSubgraphOptions): NewSubgraph {
  const root = options.root ?? repoRoot;
  const { name } = options;
  if (!/^[a-z][a-z0-9]*$/.test(name))
    throw new Error(`"${name}": use lower-case letters and digits, starting with a letter`);
  const existing = readSubgraphs(path.join(root, 'rover.yaml'));
  const dir = path.join(root, 'subgraphs', name);
  if (existing.some((subgraph) => subgraph.name === name) || existsSync(dir)) {
    throw new Error(`a subgraph named ${name} already exists`);
  }
  const entity = options.entity ?? capitalize(name.replace(/s$/, ''));
  if (!/^[A-Z][A-Za-z0-9]*$/.test(entity)) throw new Error(`entity "${entity}" must be PascalCase`);
  const port = options.port ?? Math.max(...existing.map((subgraph) => subgraph.port)) + 1;
  if (existing.some((subgraph) => subgraph.port === port)) throw new Error(`port ${port} is taken`);
  const last = existing.at(-1)?.name;
  if (!last) throw new Error('rover.yaml lists no subgraph to model the deployment on');

  const rename = replacer(name, entity, port);
  cpSync(templateDir, dir, { recursive: true });
  for (const file of filesUnder(dir)) {
    writeFileSync(file, rename(readFileSync(file, 'utf8')));
    const target = path.join(path.dirname(file), rename(path.basename(file)));
    if (target !== file) renameSync(file, target);
  }
  const now = options.now ?? new Date();
  const migrations = path.join(dir, 'db', 'migrations');
  const own = readdirSync(migrations).find((file) => file.startsWith('TIMESTAMP_'));
  if (own) renameSync(path.join(migrations, own), path.join(migrations, own.replace('TIMESTAMP', timestamp(now, 2))));
  cpSync(
    path.join(root, 'packages/outbox/db/migrations/20261125000100_outbox.sql'),
    path.join(migrations, `${timestamp(now, 0)}_outbox.sql`),
  );
  cpSync(
    path.join(root, 'packages/inbox/db/migrations/20261130000000_inbox.sql'),
    path.join(migrations, `${timestamp(now, 1)}_inbox.sql`),
  );

  const edited = ['rover.yaml', 'docker-compose.yml', 'monitoring/prometheus/prometheus.yml'];
  editYaml(path.join(root, 'rover.yaml'), (document) => {
    document.setIn(
      ['subgraphs', name],
      document.createNode({
        routing_url: `http://localhost:${port}/graphql`,
        schema: { file: `./schema/${name}.graphql` },
      }),
    );
  });
  editYaml(path.join(root, 'docker-compose.yml'), (document) => addComposeService(document, name, port, last));
  editYaml(path.join(root, 'monitoring/prometheus/prometheus.yml'), (document) =>
    addScrapeTarget(document, `${name}:${metricsPortOf(port)}`),
  );
  addToTestGraph(path.join(root, 'gateway/test/support/graph.ts'), name);
  const gatewayPackage = path.join(root, 'gateway/package.json');
  const manifest = JSON.parse(readFileSync(gatewayPackage, 'utf8')) as { devDependencies: Record<string, string> };
  manifest.devDependencies[`@radiata/${name}`] = '*';
  writeFileSync(gatewayPackage, `${JSON.stringify(manifest, null, 2)}\n`);
  edited.push('gateway/test/support/graph.ts', 'gateway/package.json');
  return { dir, port, entity, edited };
}
