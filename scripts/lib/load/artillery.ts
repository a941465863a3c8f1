// Artillery lives in load/ with its own lockfile, outside the workspaces (it and its 450 MB of
// dependencies are needed only to run load tests): installed there on first use, its browser
// download refused, its telemetry off, run with this Node.js.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../paths.js';

export const loadDir = path.join(repoRoot, 'load');
const installedMarker = path.join(loadDir, 'node_modules', '.radiata-lock-hash');
const artilleryBin = path.join(loadDir, 'node_modules', 'artillery', 'bin', 'run');

export const artilleryEnv = {
  ARTILLERY_DISABLE_TELEMETRY: 'true',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  NO_UPDATE_NOTIFIER: '1',
} as const;

/** Installs load/'s dependencies (npm ci) unless what is installed matches its lockfile. */
export function ensureArtillery(log: (line: string) => void): void {
  const lockHash = createHash('sha256')
    .update(readFileSync(path.join(loadDir, 'package-lock.json')))
    .digest('hex');
  if (existsSync(artilleryBin) && existsSync(installedMarker) && readFileSync(installedMarker, 'utf8') === lockHash) {
    return;
  }
  log('installing artillery into load/node_modules (npm ci, once; about a minute)…');
  // npm as this run's npm (npm_execpath) on this Node.js when started by `npm run`.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', [] as string[]];
  const install = spawnSync(command, [...args, 'ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: loadDir,
    stdio: 'inherit',
    env: { ...process.env, ...artilleryEnv },
  });
  if (install.status !== 0) throw new Error(`npm ci in load/ failed (exit ${install.status})`);
  writeFileSync(installedMarker, lockHash);
}

/** The parts of artillery's JSON report (`--output`) the verdict reads. */
export interface ArtilleryReport {
  readonly aggregate: {
    readonly counters: Record<string, number>;
    readonly rates?: Record<string, number>;
    readonly summaries: Record<
      string,
      { min: number; max: number; mean: number; p50: number; p95: number; p99: number; count: number }
    >;
    readonly firstMetricAt?: number;
    readonly lastMetricAt?: number;
  };
}

export interface ArtilleryRun {
  readonly scenario: string;
  readonly exitCode: number;
  readonly report: ArtilleryReport | undefined;
  /** The `ensure` checks as artillery printed them (`ok: …` / `fail: …`). */
  readonly checks: readonly string[];
}

/**
 * Runs one scenario file; its output goes to `onLine` (prefixed by the caller). `overrides` is
 * merged into the script (arrays replaced), as artillery's --overrides does.
 */
export function runArtillery(options: {
  readonly scenario: string;
  readonly target: string;
  readonly overrides: Record<string, unknown>;
  readonly env: Record<string, string>;
  readonly reportFile: string;
  readonly onLine: (line: string) => void;
}): Promise<ArtilleryRun> {
  const scriptFile = path.join(loadDir, 'scenarios', `${options.scenario}.yml`);
  const child = spawn(
    process.execPath,
    [
      artilleryBin,
      'run',
      '--target',
      options.target,
      '--overrides',
      JSON.stringify(options.overrides),
      '--output',
      options.reportFile,
      scriptFile,
    ],
    { cwd: loadDir, env: { ...process.env, ...artilleryEnv, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const checks: string[] = [];
  let inChecks = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      if (line.startsWith('Checks:')) inChecks = true;
      else if (inChecks && /^(ok|fail): /.test(line)) checks.push(line);
      options.onLine(line);
    });
  }
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      const report = existsSync(options.reportFile)
        ? (JSON.parse(readFileSync(options.reportFile, 'utf8')) as ArtilleryReport)
        : undefined;
      resolve({ scenario: options.scenario, exitCode: code ?? (signal ? 128 : 1), report, checks });
    });
  });
}
