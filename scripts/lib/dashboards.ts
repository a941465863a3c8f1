import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { hostPathOf, readCompose } from './monitoring-config.js';
import { GRAFANA_VARIABLES, variablesIn } from './promql.js';

interface Datasource {
  readonly type?: string;
  readonly uid?: string;
}

interface Link {
  readonly type?: string;
  readonly title?: string;
  readonly url?: string;
  readonly tags?: readonly string[];
}

export interface Panel {
  readonly id?: unknown;
  readonly type?: string;
  readonly title?: string;
  readonly datasource?: Datasource;
  readonly gridPos?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly fieldConfig?: {
    readonly defaults?: { readonly unit?: string; readonly thresholds?: { steps?: unknown[] } };
  };
  readonly targets?: readonly { readonly expr?: string; readonly datasource?: Datasource }[];
  readonly links?: readonly Link[];
  readonly collapsed?: boolean;
  /** A row's panels while it is collapsed. */
  readonly panels?: readonly Panel[];
}

interface Variable {
  readonly name: string;
  readonly type?: string;
  readonly query?: unknown;
  readonly allValue?: string;
  readonly datasource?: Datasource;
}

export interface Dashboard {
  readonly uid?: string;
  readonly editable?: boolean;
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly links?: readonly Link[];
  readonly panels?: readonly Panel[];
  readonly templating?: { readonly list?: readonly Variable[] };
  readonly annotations?: {
    readonly list?: readonly { readonly name?: string; readonly expr?: string; readonly datasource?: Datasource }[];
  };
}

export interface DashboardFile {
  readonly file: string;
  readonly dashboard: Dashboard;
}

/**
 * The dashboard files Grafana loads: each file provider's path (provisioning/dashboards/*.yml)
 * is a volume of the grafana service in docker-compose.yml; these are its host directories.
 */
export function provisionedDashboards(root: string): string[] {
  const compose = readCompose(root);
  const providersDir = path.join(root, 'monitoring/grafana/provisioning/dashboards');
  const providers = readdirSync(providersDir)
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .flatMap(
      (file) =>
        (parse(readFileSync(path.join(providersDir, file), 'utf8')) as { providers: { options: { path: string } }[] })
          .providers,
    );
  return providers.flatMap(({ options }) => {
    const dir = hostPathOf(root, compose, 'grafana', options.path);
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => path.join(dir, file));
  });
}

export const readDashboard = (file: string): DashboardFile => ({
  file,
  dashboard: JSON.parse(readFileSync(file, 'utf8')) as Dashboard,
});

/** The uid of the Prometheus datasource that Grafana provisions. */
export function provisionedPrometheusUid(root: string): string {
  const dir = path.join(root, 'monitoring/grafana/provisioning/datasources');
  const sources = readdirSync(dir)
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .flatMap(
      (file) =>
        (parse(readFileSync(path.join(dir, file), 'utf8')) as { datasources: { type: string; uid: string }[] })
          .datasources,
    )
    .filter(({ type }) => type === 'prometheus');
  if (sources.length !== 1) throw new Error(`expected one provisioned Prometheus datasource, found ${sources.length}`);
  return (sources[0] as { uid: string }).uid;
}

export function panelsOf(panels: readonly Panel[] = []): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels)]);
}

/** The PromQL inside a Grafana query variable (`label_values(expr, label)`, `query_result(expr)`). */
export function promqlOfVariable(query: unknown): string | undefined {
  const text = (typeof query === 'string' ? query : (query as { query?: string } | undefined)?.query)?.trim();
  return text && (/^label_values\((.+),\s*\w+\)$/s.exec(text)?.[1] ?? /^query_result\((.+)\)$/s.exec(text)?.[1]);
}

export interface Query {
  /** The panel, variable or annotation the query belongs to. */
  readonly where: string;
  readonly expr: string;
}

/** Where a dashboard queries Prometheus: panels, query variables and annotations. */
export function queriesOf(dashboard: Dashboard): Query[] {
  const panels = panelsOf(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).flatMap(({ expr }) => (expr ? [{ where: `panel ${panel.id} "${panel.title}"`, expr }] : [])),
  );
  const variables = (dashboard.templating?.list ?? []).flatMap(({ name, query }) => {
    const expr = promqlOfVariable(query);
    return expr ? [{ where: `variable $${name}`, expr }] : [];
  });
  const annotations = (dashboard.annotations?.list ?? []).flatMap(({ name, expr }) =>
    expr ? [{ where: `annotation "${name}"`, expr }] : [],
  );
  return [...panels, ...variables, ...annotations];
}

/** What each variable stands for when a query is checked: its "All" value, else any value. */
export function variableValues(dashboard: Dashboard): Map<string, string> {
  return new Map((dashboard.templating?.list ?? []).map(({ name, allValue }) => [name, allValue || '.+']));
}

export function duplicatePanelIds(dashboard: Dashboard): string[] {
  const seen = new Set<unknown>();
  return panelsOf(dashboard.panels).flatMap(({ id, title }) => {
    if (typeof id !== 'number') return [`panel "${title}" has no numeric id`];
    if (seen.has(id)) return [`panel id ${id} ("${title}") is used twice`];
    seen.add(id);
    return [];
  });
}

/** Panels outside the 24-column grid or overlapping another (a collapsed row's panels among themselves). */
export function layoutProblems(dashboard: Dashboard): string[] {
  const groups = [dashboard.panels ?? [], ...(dashboard.panels ?? []).map((panel) => panel.panels ?? [])];
  return groups.flatMap((panels) => {
    const problems: string[] = [];
    panels.forEach((panel, index) => {
      const name = `panel ${panel.id} "${panel.title}"`;
      const box = panel.gridPos;
      if (!box) {
        problems.push(`${name} has no gridPos`);
        return;
      }
      if (box.w <= 0 || box.h <= 0 || box.x < 0 || box.y < 0 || box.x + box.w > 24) {
        problems.push(`${name} is outside the grid: ${JSON.stringify(box)}`);
      }
      for (const other of panels.slice(0, index)) {
        const them = other.gridPos;
        if (!them) continue;
        const apart =
          box.x + box.w <= them.x || them.x + them.w <= box.x || box.y + box.h <= them.y || them.y + them.h <= box.y;
        if (!apart) problems.push(`${name} overlaps panel ${other.id} "${other.title}"`);
      }
    });
    return problems;
  });
}

/** Panels, queries, variables and annotations that do not use the provisioned Prometheus datasource. */
export function datasourceProblems(dashboard: Dashboard, uid: string): string[] {
  const wrong = (source: Datasource | undefined) => source?.type !== 'prometheus' || source.uid !== uid;
  const problems = panelsOf(dashboard.panels).flatMap((panel) => {
    if (panel.type === 'row') return [];
    const name = `panel ${panel.id} "${panel.title}"`;
    return [
      ...(wrong(panel.datasource) ? [`${name}: datasource ${JSON.stringify(panel.datasource)}`] : []),
      ...(panel.targets ?? []).flatMap((target, index) =>
        target.datasource && wrong(target.datasource)
          ? [`${name}, query ${index + 1}: datasource ${JSON.stringify(target.datasource)}`]
          : [],
      ),
    ];
  });
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === 'query' && wrong(variable.datasource))
      problems.push(`variable $${variable.name}: datasource`);
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.expr && wrong(annotation.datasource)) problems.push(`annotation "${annotation.name}": datasource`);
  }
  return problems;
}

/** Variables that queries use but the dashboard does not define (Grafana's own excepted). */
export function undefinedVariables(dashboard: Dashboard): string[] {
  const defined = new Set((dashboard.templating?.list ?? []).map(({ name }) => name));
  return queriesOf(dashboard).flatMap(({ where, expr }) =>
    variablesIn(expr)
      .filter((name) => !defined.has(name) && !GRAFANA_VARIABLES.has(name))
      .map((name) => `${where}: $${name} is not defined`),
  );
}

/** Panels showing data without a unit, and figures (stat, gauge) without thresholds to color them. */
export function presentationProblems(dashboard: Dashboard): string[] {
  return panelsOf(dashboard.panels).flatMap((panel) => {
    if (panel.type === 'row') return [];
    const name = `panel ${panel.id} "${panel.title}"`;
    const defaults = panel.fieldConfig?.defaults;
    const problems: string[] = [];
    if (!defaults?.unit) problems.push(`${name} has no unit`);
    if ((panel.type === 'stat' || panel.type === 'gauge') && !defaults?.thresholds?.steps?.length) {
      problems.push(`${name} has no thresholds`);
    }
    return problems;
  });
}

/**
 * Links that lead nowhere: a `/d/<uid>` URL (dashboard and panel links) naming no provisioned
 * dashboard, and dashboard lists by tag. Each dashboard must list every other one by tag.
 */
export function linkProblems(dashboards: readonly Dashboard[]): string[] {
  const uids = new Set(dashboards.map(({ uid }) => uid));
  return dashboards.flatMap((dashboard) => {
    const name = `"${dashboard.title}"`;
    const links = [
      ...(dashboard.links ?? []).map((link) => ({ where: `${name} link "${link.title}"`, link })),
      ...panelsOf(dashboard.panels).flatMap((panel) =>
        (panel.links ?? []).map((link) => ({ where: `${name} panel "${panel.title}" link "${link.title}"`, link })),
      ),
    ];
    const problems = links.flatMap(({ where, link }) => {
      const uid = /\/d\/([^/?#]+)/.exec(link.url ?? '')?.[1];
      return uid && !uids.has(uid) ? [`${where}: no dashboard has uid ${uid}`] : [];
    });
    const listed = new Set(
      (dashboard.links ?? [])
        .filter((link) => link.type === 'dashboards')
        .flatMap((link) =>
          dashboards
            .filter((other) => (link.tags ?? []).every((tag) => other.tags?.includes(tag)))
            .map(({ uid }) => uid),
        ),
    );
    for (const other of dashboards) {
      if (other !== dashboard && !listed.has(other.uid))
        problems.push(`${name} links to no list that has "${other.title}"`);
    }
    return problems;
  });
}

/** Dashboards without a uid Grafana accepts, and uids or titles used twice. */
export function identityProblems(dashboards: readonly DashboardFile[]): string[] {
  const problems: string[] = [];
  for (const key of ['uid', 'title'] as const) {
    const seen = new Map<string, string>();
    for (const { file, dashboard } of dashboards) {
      const value = dashboard[key];
      const name = path.basename(file);
      if (!value) {
        problems.push(`${name} has no ${key}`);
        continue;
      }
      const first = seen.get(value);
      if (first) problems.push(`${name} has the ${key} "${value}" of ${first}`);
      seen.set(value, name);
    }
  }
  for (const { file, dashboard } of dashboards) {
    if (dashboard.uid && !/^[a-zA-Z0-9_-]{1,40}$/.test(dashboard.uid)) {
      problems.push(`${path.basename(file)}: uid "${dashboard.uid}" is not 1-40 letters, digits, - or _`);
    }
    if (!dashboard.tags?.length) problems.push(`${path.basename(file)} has no tags`);
  }
  return problems;
}
