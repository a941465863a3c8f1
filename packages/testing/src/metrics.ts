/** Prometheus text exposition: `name{a="x",b="y"} value` per line. */
const SAMPLE = /^([a-zA-Z_:][\w:]*)\{(.*)\} \S+/;

/** The distinct values of `label` on the samples of `metric` (e.g. a histogram's `_count`), sorted. */
export function metricLabelValues(exposition: string, metric: string, label: string): string[] {
  const values = new Set<string>();
  const pattern = new RegExp(`(?:^|,)${label}="((?:[^"\\\\]|\\\\.)*)"`);
  for (const line of exposition.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (sample?.[1] !== metric) continue;
    const value = pattern.exec(sample[2] ?? '')?.[1];
    if (value !== undefined) values.add(value);
  }
  return [...values].sort();
}
