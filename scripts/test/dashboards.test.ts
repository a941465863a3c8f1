import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '@radiata/observability';
import { parse } from 'yaml';
import { repoRoot } from '../lib/paths.js';

interface Panel {
  readonly id?: unknown;
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  /** A row's panels while it is collapsed. */
  readonly panels?: readonly Panel[];
}

interface Dashboard {
  readonly panels?: readonly Panel[];
  readonly templating?: { readonly list?: readonly { readonly name: string; readonly query?: unknown }[] };
}

const read = (relative: string): string => readFileSync(path.join(repoRoot, relative), 'utf8');

/**
 * The dashboard files Grafana loads: each file provider's path (provisioning/dashboards/*.yml)
 * is a volume of the grafana service in docker-compose.yml; these are its host directories.
 */
function provisionedDashboards(): string[] {
  const compose = parse(read('docker-compose.yml')) as { services: { grafana: { volumes: string[] } } };
  const hostOf = new Map(
    compose.services.grafana.volumes.map((volume) => {
      const [host, container] = volume.split(':');
      return [container, host] as const;
    }),
  );
  const providersDir = 'monitoring/grafana/provisioning/dashboards';
  const providers = readdirSync(path.join(repoRoot, providersDir))
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .flatMap(
      (file) => (parse(read(`${providersDir}/${file}`)) as { providers: { options: { path: string } }[] }).providers,
    );
  return providers.flatMap(({ options }) => {
    const host = hostOf.get(options.path);
    if (!host) throw new Error(`no grafana volume in docker-compose.yml mounts ${options.path}`);
    const dir = path.join(repoRoot, host);
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => path.join(dir, file));
  });
}

function panelsOf(panels: readonly Panel[] = []): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels)]);
}

/** The PromQL inside a Grafana query variable (`label_values(expr, label)`, `query_result(expr)`). */
function promqlOfVariable(query: unknown): string | undefined {
  const text = (typeof query === 'string' ? query : (query as { query?: string } | undefined)?.query)?.trim();
  return text && (/^label_values\((.+),\s*\w+\)$/s.exec(text)?.[1] ?? /^query_result\((.+)\)$/s.exec(text)?.[1]);
}

/** Where each dashboard queries Prometheus: `where` names the panel or variable. */
function queriesOf(dashboard: Dashboard): { where: string; expr: string }[] {
  const panels = panelsOf(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).flatMap(({ expr }) => (expr ? [{ where: `panel ${panel.id} "${panel.title}"`, expr }] : [])),
  );
  const variables = (dashboard.templating?.list ?? []).flatMap(({ name, query }) => {
    const expr = promqlOfVariable(query);
    return expr ? [{ where: `variable $${name}`, expr }] : [];
  });
  return [...panels, ...variables];
}

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression selects (not functions, labels, keywords or variables). */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)].map(([name]) => name);
  return names.filter((name) => !KEYWORDS.has(name.toLowerCase()));
}

/** Source files of the services and packages (not generated code, not tests). */
function sourceFiles(): string[] {
  const roots = [
    'gateway',
    ...['packages', 'subgraphs'].flatMap((dir) =>
      readdirSync(path.join(repoRoot, dir)).map((name) => `${dir}/${name}`),
    ),
  ]
    .map((dir) => path.join(repoRoot, dir, 'src'))
    .filter((dir) => existsSync(dir));
  return roots.flatMap((root) =>
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
      .filter((file) => !file.split(path.sep).includes('generated'))
      .map((file) => path.join(root, file)),
  );
}

const SAMPLE_SUFFIXES = ['_bucket', '_count', '_sum'];

/**
 * The metric names the services expose: the names quoted in a source file that uses prom-client
 * (each also with the histogram sample suffixes: the source does not say which are histograms),
 * and the Node defaults and GraphQL metrics of every service's registry (createMetrics).
 */
async function exposedMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of sourceFiles()) {
    const source = readFileSync(file, 'utf8');
    if (!source.includes("from 'prom-client'")) continue;
    for (const [, name] of source.matchAll(/['"]([a-zA-Z_:][\w:]*)['"]/g)) {
      for (const suffix of ['', ...SAMPLE_SUFFIXES]) names.add(name + suffix);
    }
  }
  const { registry } = createMetrics('dashboards-test');
  for (const { name, type } of await registry.getMetricsAsJSON()) {
    names.add(name);
    // MetricType is an enum of these strings.
    if (['histogram', 'summary'].includes(String(type))) for (const suffix of SAMPLE_SUFFIXES) names.add(name + suffix);
  }
  registry.clear();
  return names;
}

function unknownMetrics(dashboard: Dashboard, exposed: ReadonlySet<string>): string[] {
  return queriesOf(dashboard).flatMap(({ where, expr }) => {
    const names = metricNamesIn(expr);
    if (names.length === 0) return [`${where}: found no metric in ${expr}`];
    return names
      .filter((name) => !exposed.has(name))
      .map((name) => `${where}: ${name} is not a metric any service registers`);
  });
}

function duplicatePanelIds(dashboard: Dashboard): string[] {
  const seen = new Set<unknown>();
  return panelsOf(dashboard.panels).flatMap(({ id, title }) => {
    if (typeof id !== 'number') return [`panel "${title}" has no numeric id`];
    if (seen.has(id)) return [`panel id ${id} ("${title}") is used twice`];
    seen.add(id);
    return [];
  });
}

describe('metricNamesIn', () => {
  it('finds the selected metrics, not functions, labels, ranges, variables or keywords', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, operation) (rate(a_seconds_bucket{service=~"$service", x="y{z}"}[$__rate_interval])))',
      ),
    ).toEqual(['a_seconds_bucket']);
    expect(metricNamesIn('sum(rate(b_total[5m] offset 1h)) / on (service) group_left(queue) c or vector(0)')).toEqual([
      'b_total',
      'c',
    ]);
    expect(metricNamesIn('max by (status) (radiata_orders) > bool 1e3')).toEqual(['radiata_orders']);
  });

  it('reads the PromQL of query variables', () => {
    expect(promqlOfVariable({ query: 'label_values(d_count{service=~"$service"}, operation)' })).toBe(
      'd_count{service=~"$service"}',
    );
    expect(promqlOfVariable('label_values(service)')).toBeUndefined();
  });
});

describe('provisioned Grafana dashboards', () => {
  const files = provisionedDashboards();

  it('are found where Grafana loads them', () => {
    expect(files.map((file) => path.relative(repoRoot, file))).toContain(
      path.join('monitoring', 'grafana', 'dashboards', 'radiata-graphql.json'),
    );
  });

  it('query only metrics that some service registers', async () => {
    const exposed = await exposedMetricNames();
    // The check sees a misspelt name.
    expect(
      unknownMetrics({ panels: [{ id: 1, title: 't', targets: [{ expr: 'rate(radiata_order[1m])' }] }] }, exposed),
    ).toEqual(['panel 1 "t": radiata_order is not a metric any service registers']);
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
      expect(queriesOf(dashboard).length).toBeGreaterThan(0);
      expect({ file: path.basename(file), problems: unknownMetrics(dashboard, exposed) }).toEqual({
        file: path.basename(file),
        problems: [],
      });
    }
  });

  it('give every panel its own id', () => {
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
      expect({ file: path.basename(file), problems: duplicatePanelIds(dashboard) }).toEqual({
        file: path.basename(file),
        problems: [],
      });
    }
  });
});
