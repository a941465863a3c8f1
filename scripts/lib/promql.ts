const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression selects (not functions, labels, keywords or variables). */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)].map(([name]) => name);
  return names.filter((name) => !KEYWORDS.has(name.toLowerCase()));
}

/** Grafana's own variables a Prometheus query may use. */
export const GRAFANA_VARIABLES = new Set([
  '__rate_interval',
  '__rate_interval_ms',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
]);

/** Values that make a query parse as PromQL, for checking it: Grafana's intervals, in PromQL units. */
const GRAFANA_VALUES: Record<string, string> = {
  __rate_interval: '1m',
  __rate_interval_ms: '60000',
  __interval: '1m',
  __interval_ms: '60000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

const VARIABLE = /\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g;

/** The names of the Grafana variables (`$name`, `${name}`, `${name:format}`, `[[name]]`) a text uses. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(VARIABLE)].map(([, braced, plain, brackets]) => braced ?? plain ?? brackets ?? '');
}

/**
 * `expr` as Prometheus would receive it: Grafana's interval variables become durations and each
 * dashboard variable its value in `values` (a regular expression such as `.+` for "All"). A
 * variable with no value is left as it is, and so fails to parse.
 */
export function substituteVariables(expr: string, values: ReadonlyMap<string, string>): string {
  return expr.replace(VARIABLE, (whole, braced?: string, plain?: string, brackets?: string) => {
    const name = braced ?? plain ?? brackets ?? '';
    return GRAFANA_VALUES[name] ?? values.get(name) ?? whole;
  });
}
