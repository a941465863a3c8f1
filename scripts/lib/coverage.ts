// The repository's test coverage: every workspace's Jest run (`jest --coverage`, instrumented by
// jest.transform.cjs) leaves <workspace>/coverage/<npm task>/coverage-final.json; these are merged
// into one map (a file loaded by several workspaces' tests counts every hit), reported into
// coverage/ at the root and checked against coverage-thresholds.json.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import libCoverage, { type CoverageMap, type CoverageMapData, type CoverageSummary } from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { color, shownPath } from './log.js';
import { repoRoot } from './paths.js';

export const metrics = ['lines', 'statements', 'functions', 'branches'] as const;
export type Metric = (typeof metrics)[number];
export type Thresholds = Readonly<Record<Metric, number>>;

export const thresholdsPath = path.join(repoRoot, 'coverage-thresholds.json');

/** The workspace directories (relative, `/`-separated) named by the root package.json's "workspaces". */
export function workspaceDirs(root = repoRoot): string[] {
  const { workspaces = [] } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return existsSync(path.join(root, pattern, 'package.json')) ? [pattern] : [];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(root, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`)
      .sort();
  });
}

/** Every coverage-final.json a workspace's test tasks wrote (`<workspace>/coverage/<task>/`). */
export function workspaceCoverageFiles(root = repoRoot): string[] {
  return workspaceDirs(root).flatMap((dir) => {
    const base = path.join(root, dir, 'coverage');
    if (!existsSync(base)) return [];
    return readdirSync(base, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .map((task) => path.join(base, task, 'coverage-final.json'))
      .filter((file) => existsSync(file));
  });
}

/** Removes the previous run's workspace and merged reports, so none of them is merged again. */
export function removeCoverageOutput(root = repoRoot): void {
  for (const dir of workspaceDirs(root)) rmSync(path.join(root, dir, 'coverage'), { recursive: true, force: true });
  rmSync(path.join(root, 'coverage'), { recursive: true, force: true });
}

/**
 * The workspace whose sources `file` is, if it is one of the files counted: a workspace's src/,
 * not @radiata/testing (test support), not generated code, not a test, not a declaration file.
 */
export function countedWorkspaceOf(file: string, root = repoRoot): string | undefined {
  const relative = path.relative(root, file).split(path.sep).join('/');
  const match = /^(gateway|packages\/[^/]+|subgraphs\/[^/]+)\/src\//.exec(relative);
  if (!match?.[1] || match[1] === 'packages/testing') return undefined;
  if (/\/src\/generated\/|\.test\.ts$|\.d\.ts$|\/node_modules\//.test(relative)) return undefined;
  return match[1];
}

/** One map from many coverage-final.json files, keeping only the counted sources. */
export function mergeCoverage(files: readonly string[], root = repoRoot): CoverageMap {
  const merged = libCoverage.createCoverageMap({});
  for (const file of files) {
    const data = JSON.parse(readFileSync(file, 'utf8')) as CoverageMapData;
    const counted = Object.fromEntries(
      Object.entries(data).filter(([source]) => countedWorkspaceOf(source, root) !== undefined),
    );
    merged.merge(counted);
  }
  return merged;
}

export interface CoverageRow {
  /** A workspace directory (`subgraphs/users`), or `total`. */
  readonly name: string;
  readonly summary: CoverageSummary;
}

/** One row per workspace with counted sources (in directory order), then the total. */
export function summarize(map: CoverageMap, root = repoRoot): CoverageRow[] {
  const byWorkspace = new Map<string, CoverageSummary>();
  const total = libCoverage.createCoverageSummary();
  for (const file of map.files()) {
    const workspace = countedWorkspaceOf(file, root);
    if (!workspace) continue;
    const summary = map.fileCoverageFor(file).toSummary();
    const row = byWorkspace.get(workspace) ?? libCoverage.createCoverageSummary();
    row.merge(summary);
    byWorkspace.set(workspace, row);
    total.merge(summary);
  }
  const rows = [...byWorkspace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, summary]) => ({ name, summary }));
  return [...rows, { name: 'total', summary: total }];
}

/** A plain-text table: percentages and covered/total for each metric. */
export function formatTable(rows: readonly CoverageRow[]): string {
  const header = ['workspace', ...metrics];
  const cells = rows.map((row) => [
    row.name,
    ...metrics.map((metric) => {
      const { pct, covered, total } = row.summary[metric];
      return `${total === 0 ? '-' : `${pct.toFixed(2)}%`} (${covered}/${total})`;
    }),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((cell) => cell[column]?.length ?? 0)),
  );
  const line = (cell: readonly string[]) =>
    cell
      .map((text, column) => (column === 0 ? text.padEnd(widths[0] ?? 0) : text.padStart(widths[column] ?? 0)))
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body = cells.map(line);
  return [line(header), rule, ...body.slice(0, -1), rule, ...body.slice(-1)].join('\n');
}

export function readThresholds(file = thresholdsPath): Thresholds {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const thresholds = {} as Record<Metric, number>;
  for (const metric of metrics) {
    const value = parsed[metric];
    if (typeof value !== 'number' || value < 0 || value > 100) {
      throw new Error(`${path.basename(file)}: "${metric}" must be a percentage (0-100), got ${JSON.stringify(value)}`);
    }
    thresholds[metric] = value;
  }
  return thresholds;
}

/** A message for each metric of `total` below its threshold (none: the check passes). */
export function thresholdFailures(total: CoverageSummary, thresholds: Thresholds): string[] {
  return metrics
    .filter((metric) => total[metric].pct < thresholds[metric])
    .map((metric) => `${metric}: ${total[metric].pct.toFixed(2)}% is below the threshold of ${thresholds[metric]}%`);
}

/**
 * lcov.info (paths relative to `root`), an HTML report (index.html), coverage-summary.json and
 * the merged coverage-final.json.
 */
export function writeReports(map: CoverageMap, dir: string, root = repoRoot): void {
  const context = libReport.createContext({ dir, coverageMap: map, defaultSummarizer: 'nested' });
  reports.create('lcovonly', { projectRoot: root }).execute(context);
  for (const name of ['html', 'json-summary', 'json'] as const) reports.create(name).execute(context);
}

/**
 * Merges the workspaces' coverage, writes the reports, prints the table and checks the
 * thresholds: true if they are met.
 */
export function reportCoverage(root = repoRoot): boolean {
  const files = workspaceCoverageFiles(root);
  const map = mergeCoverage(files, root);
  if (map.files().length === 0) {
    console.error(color.red('coverage: no workspace wrote coverage of its sources (did Jest run with --coverage?)'));
    return false;
  }
  const dir = path.join(root, 'coverage');
  writeReports(map, dir, root);
  const rows = summarize(map, root);
  console.log(
    `\nCoverage of the workspaces' src/ (${files.length} Jest runs merged; report: ${shownPath(dir)}/index.html)`,
  );
  console.log(formatTable(rows));
  const thresholds = readThresholds(path.join(root, 'coverage-thresholds.json'));
  const failures = thresholdFailures(rows.at(-1)!.summary, thresholds);
  for (const failure of failures) console.error(color.red(`coverage: ${failure} (coverage-thresholds.json)`));
  if (failures.length === 0)
    console.log(color.green(`coverage: at or above the thresholds of coverage-thresholds.json`));
  return failures.length === 0;
}
