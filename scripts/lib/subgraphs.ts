import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { shownPath } from './log.js';
import { repoRoot } from './paths.js';

export interface Subgraph {
  readonly name: string;
  /** Where the gateway reaches the subgraph (rover.yaml `routing_url`). */
  readonly routingUrl: string;
  /** Absolute path of the subgraph's SDL (rover.yaml `schema.file`). */
  readonly schemaFile: string;
  /** The port of `routingUrl`: the port the subgraph listens on in development. */
  readonly port: number;
  /** Absolute path of `subgraphs/<name>` beside the config file. */
  readonly dir: string;
}

export const roverConfigPath = path.join(repoRoot, 'rover.yaml');

interface RoverConfig {
  subgraphs?: Record<string, { routing_url?: unknown; schema?: { file?: unknown } } | null>;
}

/** The subgraphs of rover.yaml, in file order. Throws with a clear message on a malformed entry. */
export function readSubgraphs(configPath = roverConfigPath): Subgraph[] {
  const config = (parse(readFileSync(configPath, 'utf8')) ?? {}) as RoverConfig;
  const configDir = path.dirname(configPath);
  const where = shownPath(configPath);
  const entries = Object.entries(config.subgraphs ?? {});
  if (entries.length === 0) throw new Error(`${where}: no subgraphs listed under "subgraphs:"`);

  return entries.map(([name, entry]) => {
    const routingUrl = entry?.routing_url;
    const file = entry?.schema?.file;
    if (typeof routingUrl !== 'string') throw new Error(`${where}: subgraph "${name}" has no routing_url`);
    if (typeof file !== 'string') {
      throw new Error(`${where}: subgraph "${name}" needs schema.file (the compose script reads SDL files only)`);
    }
    const url = new URL(routingUrl);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return {
      name,
      routingUrl,
      // rover resolves schema paths relative to the config file.
      schemaFile: path.resolve(configDir, file),
      port,
      dir: path.join(configDir, 'subgraphs', name),
    };
  });
}

/**
 * A service's metrics port (METRICS_PORT) for its client port: the default `env.metricsPort`
 * of @radiata/config gives every service (gateway 4000 → 9400, users 4001 → 9401).
 */
export const metricsPortOf = (port: number): number => port + 5400;

/** `users` → `USERS`, `time-sales` → `TIME_SALES`: the prefix of per-subgraph variables. */
export const envName = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

export const postgresAdminUrl = (): string => process.env.POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A subgraph's own database: `<NAME>_DATABASE_URL`, else the server of POSTGRES_URL with the
 * database `radiata_<name>` (by default postgres://postgres@127.0.0.1:5432/radiata_<name>).
 */
export function databaseUrl(name: string): string {
  const explicit = process.env[`${envName(name)}_DATABASE_URL`];
  if (explicit) return explicit;
  const url = new URL(postgresAdminUrl());
  url.pathname = `/radiata_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
  return url.toString();
}
