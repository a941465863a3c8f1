import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { envName, metricsPortOf, readSubgraphs } from './subgraphs.js';

interface ComposeService {
  readonly build?: { readonly args?: Record<string, unknown> };
  readonly environment?: Record<string, unknown>;
  readonly ports?: readonly unknown[];
  readonly depends_on?: Record<string, unknown>;
}

/**
 * Where a compose service's metrics are: its METRICS_PORT, scraped by Prometheus on the compose
 * network and never published to the host (problems appended to `problems`).
 */
function checkMetrics(
  name: string,
  port: number,
  service: ComposeService,
  targets: ReadonlySet<string>,
  problems: string[],
): void {
  const metricsPort = metricsPortOf(port);
  if (String(service.environment?.METRICS_PORT) !== String(metricsPort)) {
    problems.push(`docker-compose.yml: ${name} METRICS_PORT is not ${metricsPort}`);
  }
  if (service.ports?.some((published) => String(published).endsWith(`:${metricsPort}`))) {
    problems.push(`docker-compose.yml: ${name} publishes its metrics port ${metricsPort}`);
  }
  if (!targets.has(`${name}:${metricsPort}`)) {
    problems.push(`monitoring/prometheus/prometheus.yml: no target ${name}:${metricsPort}`);
  }
  if (targets.has(`${name}:${port}`)) {
    problems.push(`monitoring/prometheus/prometheus.yml: ${name}:${port} is the client port, which serves no metrics`);
  }
}

/**
 * How the gateway runs as deployed, from gateway/package.json's start script
 * (`[MALLOC_ARENA_MAX=<n> ]node <flags> dist/main.js`): its V8 heap flags and its malloc arenas.
 * docker-compose.yml and `npm run bench:gateway` use the same.
 */
export function gatewayDeployedEnv(root: string): { NODE_OPTIONS: string; MALLOC_ARENA_MAX?: string } {
  const start = (
    JSON.parse(readFileSync(path.join(root, 'gateway/package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start;
  const match = /^(?:MALLOC_ARENA_MAX=(\d+) )?node (.*?) ?dist\/main\.js$/.exec(start);
  if (!match) throw new Error(`gateway/package.json: the start script is not "node <flags> dist/main.js": ${start}`);
  return { NODE_OPTIONS: match[2] ?? '', ...(match[1] ? { MALLOC_ARENA_MAX: match[1] } : {}) };
}

/**
 * What docker-compose.yml and monitoring/prometheus/prometheus.yml lack for the gateway and the
 * subgraphs of rover.yaml (one line per problem; empty when every one is deployed and scraped).
 */
export function deploymentProblems(root: string): string[] {
  const subgraphs = readSubgraphs(path.join(root, 'rover.yaml'));
  const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, ComposeService | undefined>;
  };
  const prometheus = parse(readFileSync(path.join(root, 'monitoring/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; static_configs?: { targets?: string[] }[] }[];
  };
  const targets = new Set(
    prometheus.scrape_configs.flatMap((job) => job.static_configs?.flatMap((config) => config.targets ?? []) ?? []),
  );
  const gateway = compose.services.gateway;
  const migrate = compose.services.migrate;
  const problems: string[] = [];
  if (gateway) {
    checkMetrics('gateway', Number(gateway.environment?.PORT), gateway, targets, problems);
    for (const [name, value] of Object.entries(gatewayDeployedEnv(root))) {
      if (String(gateway.environment?.[name] ?? '') !== value) {
        problems.push(`docker-compose.yml: gateway ${name} is not "${value}" (gateway/package.json's start script)`);
      }
    }
  } else problems.push('docker-compose.yml: no service "gateway"');
  for (const { name, port } of subgraphs) {
    const where = `docker-compose.yml`;
    const service = compose.services[name];
    const NAME = envName(name);
    if (!service) {
      problems.push(`${where}: no service "${name}"`);
    } else {
      if (service.build?.args?.SERVICE !== name) problems.push(`${where}: ${name}.build.args.SERVICE is not ${name}`);
      if (String(service.environment?.PORT) !== String(port)) problems.push(`${where}: ${name} PORT is not ${port}`);
      if (!String(service.environment?.DATABASE_URL ?? '').endsWith(`/radiata_${name}`)) {
        problems.push(`${where}: ${name} DATABASE_URL does not name radiata_${name}`);
      }
      if (!service.ports?.includes(`127.0.0.1:${port}:${port}`)) {
        problems.push(`${where}: ${name} does not publish 127.0.0.1:${port}:${port}`);
      }
      checkMetrics(name, port, service, targets, problems);
    }
    if (!String(migrate?.environment?.[`${NAME}_DATABASE_URL`] ?? '').endsWith(`/radiata_${name}`)) {
      problems.push(`${where}: migrate has no ${NAME}_DATABASE_URL for radiata_${name}`);
    }
    if (gateway?.environment?.[`SUBGRAPH_${NAME}_URL`] !== `http://${name}:${port}/graphql`) {
      problems.push(`${where}: gateway SUBGRAPH_${NAME}_URL is not http://${name}:${port}/graphql`);
    }
    if (!gateway?.depends_on?.[name]) problems.push(`${where}: gateway does not depend on ${name}`);
  }
  return problems;
}
