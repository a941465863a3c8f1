// `npm test`: the one test command (CI runs it too).
// 1. PostgreSQL, Redis, RabbitMQ answer (lib/services.ts); every suite creates its own fresh
//    databases and secrets, so workspaces run in parallel without sharing state;
// 2. Prisma clients generated (the schema check imports the subgraphs), then the committed
//    subgraph SDL and supergraph match the type-graphql classes (`npm run compose:check`);
// 3. `turbo run test test:saga` in every workspace (the gateway's saga chaos and rush suites are
//    its `test:saga` task, so they run beside the other workspaces instead of after the rest of
//    the gateway's), output streamed; then one closing line summing
//    Jest's `Tests:` summaries: `Tests: N passed, N failed`.
// `--coverage` (`npm run test:coverage`, as CI runs it): every workspace's Jest collects coverage;
// lib/coverage.ts merges it into coverage/ and prints the table before the closing line, and a
// total below coverage-thresholds.json fails the run.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { removeCoverageOutput, reportCoverage } from './lib/coverage.js';
import { loadLocalEnv } from './lib/env-file.js';
import { color } from './lib/log.js';
import { bin, repoRoot } from './lib/paths.js';
import { ensureServices } from './lib/services.js';

const coverage = process.argv.includes('--coverage');
loadLocalEnv({ generate: true });
await ensureServices();

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
const generate = spawnSync(bin('turbo'), ['run', 'generate', '--output-logs=errors-only'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env,
});
if (generate.status !== 0) process.exit(generate.status ?? 1);
const check = spawnSync(bin('tsx'), ['--conditions=radiata-source', 'scripts/compose.ts', '--check'], {
  cwd: repoRoot,
  stdio: 'inherit',
});
if (check.status !== 0) process.exit(check.status ?? 1);

// Two cores: two tasks at a time (Jest itself then runs one worker each).
const args = ['run', 'test', 'test:saga', '--concurrency=2', '--continue=dependencies-successful', '--ui=stream'];
// On CI, keep each workspace's output together; locally, show it as it comes.
args.push(`--log-order=${process.env.CI ? 'grouped' : 'stream'}`);
if (process.stdout.isTTY) args.push('--color');
// Jest writes coverage-final.json only; the merged reports are made once, below.
if (coverage) args.push('--', '--coverage', '--coverageReporters=json');
if (coverage) removeCoverageOutput();

const totals = { passed: 0, failed: 0, suitesFailed: 0 };
const turbo = spawn(bin('turbo'), args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
for (const [input, output] of [
  [turbo.stdout, process.stdout],
  [turbo.stderr, process.stderr],
] as const) {
  input.pipe(output, { end: false });
  createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
    count(stripVTControlCharacters(line)),
  );
}
// Ctrl-C reaches turbo too (same process group); just wait for it to finish.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => turbo.kill('SIGTERM'));

const exitCode = await new Promise<number>((resolve) => {
  turbo.once('error', (error) => {
    console.error(color.red(`could not run turbo: ${error.message}`));
    resolve(1);
  });
  turbo.once('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
});

if (totals.suitesFailed > 0) console.log(color.red(`${totals.suitesFailed} test suite(s) failed to run or failed`));
const coverageMet = coverage ? reportCoverage() : true;
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(exitCode !== 0 || coverageMet ? exitCode : 1);

/** Adds up Jest's summary lines, e.g. `@radiata/users:test: Tests:  1 failed, 2 skipped, 12 passed, 15 total`. */
function count(line: string): void {
  const tests = /(?:^|\s)Tests:\s+(.*\d+ total)\s*$/.exec(line)?.[1];
  if (tests) {
    totals.passed += Number(/(\d+) passed/.exec(tests)?.[1] ?? 0);
    totals.failed += Number(/(\d+) failed/.exec(tests)?.[1] ?? 0);
  }
  const suites = /(?:^|\s)Test Suites:\s+(.*\d+ total)\s*$/.exec(line)?.[1];
  if (suites) totals.suitesFailed += Number(/(\d+) failed/.exec(suites)?.[1] ?? 0);
}
