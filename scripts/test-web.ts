// `npm run test:web`: the storefront's browser tests (web/test/**/*.browser.test.ts), in Chromium
// driven by playwright-core, against the whole stack:
// 1. Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, installed with apt-get if missing
//    (lib/chromium.ts);
// 2. the storefront's typed operations generated, then its static build (Vite) into a temporary
//    directory, pointed at the gateway and the provider fake on 127.0.0.1;
// 3. that build served on 127.0.0.1 and a free port (lib/static-server.ts), and the whole stack as
//    `npm start` runs it (lib/stack.ts, as the load runner's --with-stack), the served origin added
//    to the gateway's CORS_ORIGINS; its output in web/test-results/stack.log;
// 4. Jest with web/jest.browser.config.cjs (extra arguments go to Jest: a file, `-t <name>`);
// 5. everything stopped, whatever happened (a failure, Ctrl-C, SIGTERM): Jest and any Chromium it
//    left (found by the temporary directory their profiles are in), the stack, the server.
// `-- --running`: against the stack `npm run dev` already runs (its storefront dev server on
// STOREFRONT_PORT), nothing built or started. SCREENSHOTS=1 refreshes docs/screenshots/.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureChromium } from './lib/chromium.js';
import { loadLocalEnv } from './lib/env-file.js';
import { color, errorMessage, fail } from './lib/log.js';
import { bin, repoRoot } from './lib/paths.js';
import { type RunningStack, startStack } from './lib/stack.js';
import { type StaticServer, serveStatic } from './lib/static-server.js';
import { databaseUrl } from './lib/subgraphs.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    running: { type: 'boolean', default: false },
    'test-name-pattern': { type: 'string', short: 't' },
  },
});

loadLocalEnv({ generate: true });
const log = (line: string) => console.log(color.dim(`test:web: ${line}`));
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const started = Date.now();

const webDir = path.join(repoRoot, 'web');
const resultsDir = path.join(webDir, 'test-results');
const gatewayUrl = `http://127.0.0.1:${process.env.GATEWAY_PORT || 4000}`;
const providerUrl = process.env.PROVIDER_BASE_URL || `http://127.0.0.1:${process.env.PROVIDER_FAKE_PORT || 4010}`;

// Chromium's profiles (playwright puts each in os.tmpdir()) and the build go in here: whatever is
// still running from inside it at the end is ours to stop.
const runDir = mkdtempSync(path.join(tmpdir(), 'radiata-web-'));
let server: StaticServer | undefined;
let stack: RunningStack | undefined;
let jest: ChildProcess | undefined;
let cleaning: Promise<void> | undefined;

function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    if (jest && jest.exitCode === null && jest.signalCode === null) {
      jest.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          jest?.kill('SIGKILL');
          resolve(undefined);
        }, 10_000);
        jest?.once('close', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    const leftovers = await killProcessesUsing(runDir);
    if (leftovers > 0) log(`stopped ${leftovers} Chromium process(es) left behind`);
    if (stack) {
      const stopping = Date.now();
      log('stopping the stack…');
      await stack.stop();
      log(`stack stopped in ${seconds(stopping)}`);
    }
    await server?.close();
    try {
      rmSync(runDir, { recursive: true, force: true, maxRetries: 5 });
    } catch (error) {
      log(`could not remove ${runDir}: ${errorMessage(error)}`);
    }
  })();
  return cleaning;
}

async function abort(message: string): Promise<never> {
  await cleanUp();
  fail(`test:web: ${message}`);
}

// Ctrl-C reaches Jest too (the same process group): it closes its browsers and ends; then we clean up.
// `on`, not `once`: tsx may pass the same signal on again, and with no listener left its own handler
// would end this process in the middle of the clean-up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaning !== undefined) return;
    log(`${signal}: stopping…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const browser = await ensureChromium(log).catch((error: unknown) => abort(errorMessage(error)));
log(`browser: ${browser.version} (${browser.path})`);
// This run's stack log and failure screenshots only.
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

let storefrontUrl: string;
if (flags.running) {
  storefrontUrl = process.env.WEB_TEST_STOREFRONT_URL || `http://127.0.0.1:${process.env.STOREFRONT_PORT || 5173}`;
  if (!(await answers(`${gatewayUrl}/readyz`)) || !(await answers(storefrontUrl))) {
    await abort(`--running: no stack at ${gatewayUrl} with a storefront at ${storefrontUrl}: start \`npm run dev\``);
  }
} else {
  let since = Date.now();
  log('building the storefront…');
  const generate = spawnSync(
    bin('turbo'),
    ['run', 'generate', '--filter=@radiata/web', '--output-logs=errors-only', '--log-prefix=none'],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  if (generate.status !== 0) await abort("generating the storefront's typed operations failed (see above)");
  const dist = path.join(runDir, 'storefront');
  const build = spawnSync(bin('vite'), ['build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
    env: {
      ...process.env,
      VITE_GATEWAY_URL: `${gatewayUrl}/graphql`,
      VITE_PROVIDER_CHECKOUT_URL: `${providerUrl}/v1/checkouts`,
    },
  });
  if (build.status !== 0) await abort('building the storefront failed (see above)');
  server = await serveStatic(dist);
  storefrontUrl = server.url;
  log(`storefront built in ${seconds(since)}, served at ${storefrontUrl}`);

  since = Date.now();
  const stackLog = path.join(resultsDir, 'stack.log');
  log(`starting the stack (npm start; its output in ${path.relative(repoRoot, stackLog)})…`);
  await startStack({
    gatewayUrl,
    logFile: stackLog,
    onStarted: (started) => {
      stack = started;
    },
    env: {
      // The served build's origin may call the gateway (dev.ts adds the dev server's own).
      CORS_ORIGINS: [process.env.CORS_ORIGINS, storefrontUrl].filter(Boolean).join(','),
      PASSWORD_RESET_URL: `${storefrontUrl}/reset-password`,
    },
  }).catch((error: unknown) => abort(errorMessage(error)));
  log(`stack ready in ${seconds(since)}`);
}

const since = Date.now();
const jestArgs = ['--config', path.join('web', 'jest.browser.config.cjs'), ...positionals];
if (flags['test-name-pattern']) jestArgs.push('-t', flags['test-name-pattern']);
if (process.env.CI) jestArgs.push('--ci');
if (process.stdout.isTTY) jestArgs.push('--colors');
jest = spawn(bin('jest'), jestArgs, {
  cwd: repoRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    TMPDIR: runDir,
    CHROMIUM_PATH: browser.path,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    WEB_TEST_STOREFRONT_URL: storefrontUrl,
    WEB_TEST_GATEWAY_URL: gatewayUrl,
    WEB_TEST_PROVIDER_URL: providerUrl,
    WEB_TEST_USERS_DATABASE_URL: databaseUrl('users'),
  },
});
const exitCode = await new Promise<number>((resolve) => {
  jest?.once('error', (error) => {
    console.error(color.red(`could not run jest: ${error.message}`));
    resolve(1);
  });
  jest?.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});
log(`browser tests ran in ${seconds(since)}`);
await cleanUp();
console.log(
  exitCode === 0
    ? color.green(`test:web: passed in ${seconds(started)}`)
    : color.red(`test:web: FAILED (jest exit ${exitCode}) after ${seconds(started)}`),
);
process.exit(exitCode);

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

/**
 * SIGKILLs every process whose command line names `dir` (Chromium started with a profile inside
 * it) and waits until they are gone; answers how many there were.
 */
async function killProcessesUsing(dir: string): Promise<number> {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`--user-data-dir=${dir}`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some((pid) => existsSync(`/proc/${pid}`)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return pids.length;
}
