import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ComposeService {
  readonly image?: string;
  readonly environment?: Record<string, unknown>;
  readonly ports?: readonly unknown[];
  readonly volumes?: readonly unknown[];
}

export interface Compose {
  readonly services: Record<string, ComposeService | undefined>;
}

export const readCompose = (root: string): Compose =>
  parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as Compose;

/** A service's bind mounts (`./host:/container[:ro]`), container path → host path. */
export function bindMounts(root: string, compose: Compose, service: string): Map<string, string> {
  return new Map(
    (compose.services[service]?.volumes ?? []).flatMap((volume) => {
      const [host, container] = String(volume).split(':');
      return host?.startsWith('.') && container ? [[container, path.join(root, host)] as const] : [];
    }),
  );
}

/** Where a path inside a service's container (a mount, or a file under one) is in the repository. */
export function hostPathOf(root: string, compose: Compose, service: string, containerPath: string): string {
  for (const [container, host] of bindMounts(root, compose, service)) {
    if (containerPath === container) return host;
    if (containerPath.startsWith(`${container}/`)) return path.join(host, containerPath.slice(container.length + 1));
  }
  throw new Error(`no volume of the ${service} service in docker-compose.yml mounts ${containerPath}`);
}

export interface PrometheusConfig {
  readonly rule_files?: readonly string[];
  readonly scrape_configs: readonly {
    readonly job_name: string;
    readonly static_configs?: readonly { readonly targets?: readonly string[] }[];
  }[];
}

export const prometheusConfigPath = (root: string): string => path.join(root, 'monitoring/prometheus/prometheus.yml');

export const readPrometheusConfig = (root: string): PrometheusConfig =>
  parse(readFileSync(prometheusConfigPath(root), 'utf8')) as PrometheusConfig;

/** The files a rule_files entry names (a `*` in the file name only, as the config uses). */
function expand(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const name = path.basename(pattern);
  if (!name.includes('*')) return existsSync(pattern) ? [pattern] : [];
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matcher = new RegExp(`^${name.split('*').map(escapeRegExp).join('[^/]*')}$`);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => matcher.test(file))
        .sort()
        .map((file) => path.join(dir, file))
    : [];
}

/** prometheus.yml's rule_files, as the repository files the prometheus service mounts there. */
export function ruleFiles(root: string): { readonly pattern: string; readonly files: string[] }[] {
  const compose = readCompose(root);
  return (readPrometheusConfig(root).rule_files ?? []).map((container) => {
    const pattern = hostPathOf(root, compose, 'prometheus', container);
    return { pattern, files: expand(pattern) };
  });
}

export interface AlertRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export const readRules = (file: string): AlertRule[] =>
  (parse(readFileSync(file, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap(({ rules }) => rules);

export const exporterMetricsPath = (root: string): string => path.join(root, 'monitoring/exporter-metrics.txt');

/** monitoring/exporter-metrics.txt: the exporter metric names dashboards and rules may use. */
export function exporterMetricNames(root: string): string[] {
  return readFileSync(exporterMetricsPath(root), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}
