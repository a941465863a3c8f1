import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createMetrics } from '@radiata/observability';

/** Series Prometheus makes itself: scrape health and the alerts its rules fire. */
export const PROMETHEUS_METRICS = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);

/** Source files of the services and packages (not generated code, not tests). */
function sourceFiles(root: string): string[] {
  const roots = [
    'gateway',
    ...['packages', 'subgraphs'].flatMap((dir) => readdirSync(path.join(root, dir)).map((name) => `${dir}/${name}`)),
  ]
    .map((dir) => path.join(root, dir, 'src'))
    .filter((dir) => existsSync(dir));
  return roots.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
      .filter((file) => !file.split(path.sep).includes('generated'))
      .map((file) => path.join(dir, file)),
  );
}

const SAMPLE_SUFFIXES = ['_bucket', '_count', '_sum'];

/**
 * The metric names Radiata's services expose: the names quoted in a source file that uses
 * prom-client (each also with the histogram sample suffixes: the source does not say which are
 * histograms), and the Node defaults and GraphQL metrics of every service's registry (createMetrics).
 */
export async function radiataMetricNames(root: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of sourceFiles(root)) {
    const source = readFileSync(file, 'utf8');
    if (!source.includes("from 'prom-client'")) continue;
    for (const [, name] of source.matchAll(/['"]([a-zA-Z_:][\w:]*)['"]/g)) {
      for (const suffix of ['', ...SAMPLE_SUFFIXES]) names.add(name + suffix);
    }
  }
  const { registry } = createMetrics('metric-names');
  for (const { name, type } of await registry.getMetricsAsJSON()) {
    names.add(name);
    // MetricType is an enum of these strings.
    if (['histogram', 'summary'].includes(String(type))) for (const suffix of SAMPLE_SUFFIXES) names.add(name + suffix);
  }
  registry.clear();
  return names;
}
