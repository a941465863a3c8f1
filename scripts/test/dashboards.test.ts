import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type Dashboard,
  type DashboardFile,
  datasourceProblems,
  duplicatePanelIds,
  identityProblems,
  layoutProblems,
  linkProblems,
  presentationProblems,
  promqlOfVariable,
  provisionedDashboards,
  provisionedPrometheusUid,
  queriesOf,
  readDashboard,
  undefinedVariables,
  variableValues,
} from '../lib/dashboards.js';
import { PROMETHEUS_METRICS, radiataMetricNames } from '../lib/metric-names.js';
import { exporterMetricNames, hostPathOf, readCompose } from '../lib/monitoring-config.js';
import { repoRoot } from '../lib/paths.js';
import { metricNamesIn, substituteVariables, variablesIn } from '../lib/promql.js';
import { getPromtool, unparsableExpressions } from '../lib/promtool.js';

const DASHBOARDS = ['overview', 'traffic', 'rush', 'checkout', 'live', 'settlement', 'infrastructure'];

function unknownMetrics(dashboard: Dashboard, known: ReadonlySet<string>): string[] {
  return queriesOf(dashboard).flatMap(({ where, expr }) => {
    const names = metricNamesIn(expr);
    if (names.length === 0) return [`${where}: found no metric in ${expr}`];
    return names
      .filter((name) => !known.has(name))
      .map((name) => `${where}: ${name} is neither a service's metric nor in monitoring/exporter-metrics.txt`);
  });
}

/** `problems` of each dashboard, by file name: `{}` when there are none. */
function byFile(dashboards: readonly DashboardFile[], problems: (dashboard: Dashboard) => string[]) {
  return Object.fromEntries(
    dashboards.flatMap(({ file, dashboard }) => {
      const found = problems(dashboard);
      return found.length > 0 ? [[path.basename(file), found]] : [];
    }),
  );
}

const panel = (id: number, gridPos: { x: number; y: number; w: number; h: number }, extra: object = {}) => ({
  id,
  title: `p${id}`,
  type: 'timeseries',
  gridPos,
  ...extra,
});

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

describe('Grafana variables in queries', () => {
  it('are found in every spelling', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own ${variable} syntax
    expect(variablesIn('rate(x{a=~"$a", b=~"${b}", c=~"${c:regex}", d=~"[[d]]"}[$__rate_interval])')).toEqual([
      'a',
      'b',
      'c',
      'd',
      '__rate_interval',
    ]);
  });

  it('become what Prometheus receives: intervals as durations, variables as their values, unknown ones kept', () => {
    expect(
      substituteVariables(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own ${variable} syntax
        'increase(x{a=~"$a", b=~"${b}", c=~"$c"}[$__range]) / rate(x[$__rate_interval])',
        new Map([
          ['a', '.+'],
          ['b', '.*'],
        ]),
      ),
    ).toBe('increase(x{a=~".+", b=~".*", c=~"$c"}[1h]) / rate(x[1m])');
  });
});

describe('the dashboard checks', () => {
  it('see overlapping panels and panels off the grid', () => {
    expect(
      layoutProblems({
        panels: [
          panel(1, { x: 0, y: 0, w: 12, h: 8 }),
          panel(2, { x: 12, y: 0, w: 12, h: 8 }),
          panel(3, { x: 6, y: 4, w: 12, h: 8 }),
          panel(4, { x: 20, y: 12, w: 6, h: 8 }),
        ],
      }),
    ).toEqual([
      'panel 3 "p3" overlaps panel 1 "p1"',
      'panel 3 "p3" overlaps panel 2 "p2"',
      'panel 4 "p4" is outside the grid: {"x":20,"y":12,"w":6,"h":8}',
    ]);
  });

  it('see a datasource other than the provisioned one', () => {
    const prometheus = { type: 'prometheus', uid: 'prometheus' };
    expect(
      datasourceProblems(
        {
          panels: [
            panel(1, { x: 0, y: 0, w: 24, h: 1 }, { type: 'row' }),
            panel(2, { x: 0, y: 1, w: 12, h: 8 }, { datasource: prometheus, targets: [{ expr: 'up' }] }),
            panel(3, { x: 12, y: 1, w: 12, h: 8 }, { datasource: { type: 'prometheus', uid: 'other' } }),
            panel(4, { x: 0, y: 9, w: 12, h: 8 }, { datasource: prometheus, targets: [{ datasource: { uid: 'x' } }] }),
          ],
        },
        'prometheus',
      ),
    ).toEqual([
      'panel 3 "p3": datasource {"type":"prometheus","uid":"other"}',
      'panel 4 "p4", query 1: datasource {"uid":"x"}',
    ]);
  });

  it('see variables no one defines', () => {
    expect(
      undefinedVariables({
        templating: { list: [{ name: 'service' }] },
        panels: [
          panel(1, { x: 0, y: 0, w: 24, h: 8 }, { targets: [{ expr: 'x{a=~"$service", b=~"$nope"}[$__range]' }] }),
        ],
      }),
    ).toEqual(['panel 1 "p1": $nope is not defined']);
  });

  it('see panels without a unit and figures without thresholds', () => {
    expect(
      presentationProblems({
        panels: [
          panel(1, { x: 0, y: 0, w: 24, h: 8 }, { fieldConfig: { defaults: { unit: 's' } } }),
          panel(2, { x: 0, y: 8, w: 24, h: 8 }, { type: 'stat', fieldConfig: { defaults: { unit: 's' } } }),
          panel(3, { x: 0, y: 16, w: 24, h: 8 }),
        ],
      }),
    ).toEqual(['panel 2 "p2" has no thresholds', 'panel 3 "p3" has no unit']);
  });

  it('see links that lead nowhere and dashboards no list reaches', () => {
    const list = { type: 'dashboards', title: 'all', tags: ['radiata'] };
    expect(
      linkProblems([
        { uid: 'a', title: 'A', tags: ['radiata'], links: [list, { title: 'to c', url: '/d/c' }] },
        { uid: 'b', title: 'B', tags: ['other'], links: [list] },
      ]),
    ).toEqual(['"A" link "to c": no dashboard has uid c', '"A" links to no list that has "B"']);
  });
});

describe('provisioned Grafana dashboards', () => {
  const dashboards = provisionedDashboards(repoRoot).map(readDashboard);

  beforeAll(async () => {
    await getPromtool();
  }, 300_000);

  it('are found where Grafana loads them: one per concern', () => {
    expect(dashboards.map(({ file }) => path.relative(repoRoot, file)).sort()).toEqual(
      DASHBOARDS.map((name) => path.join('monitoring', 'grafana', 'dashboards', `radiata-${name}.json`)).sort(),
    );
  });

  it('have their own uid, title and tags', () => {
    expect(identityProblems(dashboards)).toEqual([]);
  });

  it('open on the overview, which docker-compose.yml makes the home dashboard', () => {
    const compose = readCompose(repoRoot);
    const home = String(compose.services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    const file = hostPathOf(repoRoot, compose, 'grafana', home);
    expect(existsSync(file)).toBe(true);
    expect(dashboards.map((dashboard) => dashboard.file)).toContain(file);
    expect(readDashboard(file).dashboard.uid).toBe('radiata-overview');
  });

  it('link to each other (a list by tag) and only to dashboards that exist', () => {
    expect(linkProblems(dashboards.map(({ dashboard }) => dashboard))).toEqual([]);
  });

  it('query only metrics that a service registers, Prometheus makes or monitoring/exporter-metrics.txt lists', async () => {
    const known = new Set([
      ...(await radiataMetricNames(repoRoot)),
      ...PROMETHEUS_METRICS,
      ...exporterMetricNames(repoRoot),
    ]);
    // The check sees a misspelt name.
    expect(
      unknownMetrics({ panels: [{ id: 1, title: 't', targets: [{ expr: 'rate(radiata_order[1m])' }] }] }, known),
    ).toEqual(['panel 1 "t": radiata_order is neither a service\'s metric nor in monitoring/exporter-metrics.txt']);
    for (const { dashboard } of dashboards) expect(queriesOf(dashboard).length).toBeGreaterThan(0);
    expect(byFile(dashboards, (dashboard) => unknownMetrics(dashboard, known))).toEqual({});
  });

  it('query only in PromQL that Prometheus parses, variables substituted', async () => {
    const queries = dashboards.flatMap(({ file, dashboard }) => {
      const values = variableValues(dashboard);
      return queriesOf(dashboard).map(({ where, expr }) => ({
        where: `${path.basename(file)} ${where}`,
        expr: substituteVariables(expr, values),
      }));
    });
    // The check sees a query that does not parse.
    expect(
      await unparsableExpressions([
        { where: 'good', expr: 'sum(rate(up[1m]))' },
        { where: 'bad', expr: 'sum(rate(up[1m])' },
      ]),
    ).toEqual([expect.stringMatching(/^bad: could not parse expression: .*unclosed left parenthesis/)]);
    expect(await unparsableExpressions(queries)).toEqual([]);
  });

  it('use only the variables they define', () => {
    expect(byFile(dashboards, undefinedVariables)).toEqual({});
  });

  it('query the provisioned Prometheus datasource everywhere', () => {
    const uid = provisionedPrometheusUid(repoRoot);
    expect(byFile(dashboards, (dashboard) => datasourceProblems(dashboard, uid))).toEqual({});
  });

  it('lay their panels out on the grid without overlaps', () => {
    expect(byFile(dashboards, layoutProblems)).toEqual({});
  });

  it('give every panel its own id, a unit, and every figure thresholds', () => {
    expect(byFile(dashboards, duplicatePanelIds)).toEqual({});
    expect(byFile(dashboards, presentationProblems)).toEqual({});
  });

  it('are read-only in Grafana: the repository is where they change', () => {
    expect(byFile(dashboards, (dashboard) => (dashboard.editable === false ? [] : ['editable is not false']))).toEqual(
      {},
    );
  });
});
