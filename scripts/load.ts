// `npm run load:<browse|rush|checkout|live|midnight-sale> [-- --full]`: artillery load scenarios
// (load/scenarios) against a running stack — `npm run dev`'s gateway on localhost:4000 unless
// LOAD_TARGET says otherwise.
// 1. artillery installed in load/ (its own lockfile, outside the workspaces) if it is not yet;
// 2. the set-up, through the gateway and outside the measured phase (lib/load/setup.ts): the
//    ADMIN and SELLER (the demo accounts; `npm run seed` first if they are missing on a local
//    stack), the shoppers, a sale and coupons opening at T0;
// 3. the scenarios, all at once for midnight-sale (browsing ramps up to T0, watchers join early,
//    the rush arrives just before T0, checkouts start after it), each with its `ensure` thresholds;
// 4. the checks counted in PostgreSQL and through the API (lib/load/checks.ts);
// 5. the figures, a summary in load/.runs/<run>/summary.json and one verdict line; the exit code
//    is 0 only when every threshold and check passed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocalEnv } from './lib/env-file.js';
import { logIn, type Shopper, type SignedIn } from './lib/load/accounts.js';
import { type ArtilleryRun, ensureArtillery, loadDir, runArtillery } from './lib/load/artillery.js';
import { type Check, checkRush, checkSale } from './lib/load/checks.js';
import { GatewayClient, GraphqlRequestError } from './lib/load/gateway-client.js';
import { overridesOf, requestTimeoutSeconds, SCENARIOS, type ScenarioName, SIZES } from './lib/load/plan.js';
import { setUpLoadRun } from './lib/load/setup.js';
import { figuresOf } from './lib/load/summary.js';
import { color, errorMessage, fail, palette } from './lib/log.js';
import { bin, repoRoot } from './lib/paths.js';
import { DEMO_PASSWORD } from './lib/seed-accounts.js';
import { type RunningStack, startStack } from './lib/stack.js';
import { databaseUrl } from './lib/subgraphs.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { full: { type: 'boolean', default: false }, 'with-stack': { type: 'boolean', default: false } },
});
const name = positionals[0] ?? '';
const midnight = name === 'midnight-sale';
if (!midnight && !SCENARIOS.includes(name as ScenarioName)) {
  fail(`usage: npm run load:<${[...SCENARIOS, 'midnight-sale'].join('|')}> [-- --full] [--with-stack]`);
}
const scenarios: readonly ScenarioName[] = midnight ? SCENARIOS : [name as ScenarioName];
const size = SIZES[flags.full ? 'full' : 'default'];

loadLocalEnv({ generate: false });
const target = process.env.LOAD_TARGET ?? `http://localhost:${process.env.GATEWAY_PORT ?? 4000}`;
const providerUrl = process.env.LOAD_PROVIDER_URL ?? `http://127.0.0.1:${process.env.PROVIDER_FAKE_PORT ?? 4010}`;
const local = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(target).hostname);
const log = (line: string) => console.log(color.dim(`load: ${line}`));

try {
  ensureArtillery(log);
} catch (error) {
  fail(`load: ${errorMessage(error)}`);
}

const gateway = new GatewayClient(target);
let stack: RunningStack | undefined;
if (flags['with-stack']) {
  mkdirSync(path.join(loadDir, '.runs'), { recursive: true });
  const stackLog = path.join(loadDir, '.runs', 'stack.log');
  log(`starting the stack (npm start; its output in ${path.relative(repoRoot, stackLog)})…`);
  stack = await startStack({ gatewayUrl: gateway.url, logFile: stackLog }).catch((error: unknown) =>
    fail(`load: ${errorMessage(error)}`),
  );
  // `on`, not `once`: tsx may pass a signal on twice, and a second one must not cut the stop short
  // (stop() is safe to call again).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stack?.stop().finally(() => process.exit(130)));
  }
} else if (!(await gateway.readyWithin(30_000))) {
  fail(`load: the gateway at ${target} is not ready: start the stack (\`npm run dev\`) or set LOAD_TARGET`);
}

const admin = await operator(
  'ADMIN',
  process.env.LOAD_ADMIN_EMAIL ?? 'admin@radiata.dev',
  process.env.LOAD_ADMIN_PASSWORD,
);
const seller = await operator(
  'SELLER',
  process.env.LOAD_SELLER_EMAIL ?? 'seller1@radiata.dev',
  process.env.LOAD_SELLER_PASSWORD,
);

console.log(color.bold(`load ${name} (${size.name} size) against ${target}`));
const setup = await setUpLoadRun({ gateway, providerUrl, admin, seller, size, scenarios, midnight, log }).catch(
  (error: unknown) => abort(`load: set-up failed: ${errorMessage(error)}`),
);
const runDir = path.join(loadDir, '.runs', `${setup.fixture.runId}-${name}`);
mkdirSync(runDir, { recursive: true });
const fixtureFile = path.join(runDir, 'fixture.json');
writeFileSync(fixtureFile, JSON.stringify(setup.fixture, null, 2));
// artillery reads a payload's path relative to the scenario file, even an absolute one.
const payload = (file: string, shoppers: readonly Shopper[]) => {
  writeFileSync(file, ['accessToken,clientIp', ...shoppers.map((s) => `${s.accessToken},${s.clientIp}`)].join('\n'));
  return path.relative(path.join(loadDir, 'scenarios'), file);
};
const env = {
  LOAD_FIXTURE: fixtureFile,
  LOAD_TARGET: target,
  LOAD_SHOPPERS: payload(path.join(runDir, 'rush-shoppers.csv'), setup.rushShoppers),
  LOAD_BUYERS: payload(path.join(runDir, 'buyers.csv'), setup.buyers),
  LOAD_REQUEST_TIMEOUT_MS: String(requestTimeoutSeconds(size) * 1000),
};

console.log(color.bold(`\nrunning ${scenarios.join(', ')}; T0 (coupon opens, sale goes live) at ${setup.fixture.t0}`));
const width = Math.max(...scenarios.map((scenario) => scenario.length));
const runs: ArtilleryRun[] = await Promise.all(
  scenarios.map((scenario, index) => {
    const paint = palette[index % palette.length] ?? color.dim;
    const prefix = paint(`${scenario.padEnd(width)} │ `);
    return runArtillery({
      scenario,
      target,
      overrides: overridesOf(scenario, size, midnight),
      env,
      reportFile: path.join(runDir, `${scenario}.report.json`),
      // Alone, artillery's own output is the point; side by side, only its summaries and checks.
      onLine: (line) => {
        if (scenarios.length === 1 || !/^(Phase|Started phase|Completed phase|All VUs|Apdex)/.test(line)) {
          console.log(prefix + line);
        }
      },
    });
  }),
);

const checks: Check[] = [];
const counters = (scenario: ScenarioName) =>
  runs.find((run) => run.scenario === scenario)?.report?.aggregate.counters ?? {};
try {
  if (scenarios.includes('rush')) {
    checks.push(
      ...(await checkRush({
        couponsDatabaseUrl: process.env.COUPONS_DATABASE_URL ?? databaseUrl('coupons'),
        couponId: setup.fixture.rush.couponId,
        quantity: size.couponQuantity,
        shoppers: setup.rushShoppers.length,
        counters: counters('rush'),
      })),
    );
  }
  if (scenarios.includes('checkout')) {
    checks.push(
      ...(await checkSale({
        gateway,
        ordersDatabaseUrl: process.env.ORDERS_DATABASE_URL ?? databaseUrl('orders'),
        timeSaleId: setup.fixture.checkout.timeSaleId,
        quantity: setup.saleQuantity,
      })),
    );
  }
} catch (error) {
  checks.push({ name: 'checks after the run', ok: false, detail: errorMessage(error) });
}

console.log(
  color.bold(`\nload ${name}: figures (${size.name} size, report files in ${path.relative(repoRoot, runDir)})`),
);
const figures: Record<string, string[]> = {};
for (const run of runs) {
  const scenario = run.scenario as ScenarioName;
  figures[scenario] = figuresOf(scenario, run.report);
  console.log(`  ${color.bold(scenario)}`);
  for (const line of figures[scenario]) console.log(`    ${line}`);
  for (const check of run.checks) console.log(`    ${check.startsWith('ok') ? color.green(check) : color.red(check)}`);
}
for (const check of checks) {
  console.log(`  ${check.ok ? color.green('ok') : color.red('fail')}: ${check.name} (${check.detail})`);
}

const failedRuns = runs.filter((run) => run.exitCode !== 0);
const failedChecks = checks.filter((check) => !check.ok);
const passed = failedRuns.length === 0 && failedChecks.length === 0;
writeFileSync(
  path.join(runDir, 'summary.json'),
  `${JSON.stringify(
    {
      name,
      size: size.name,
      target,
      t0: setup.fixture.t0,
      finishedAt: new Date().toISOString(),
      passed,
      thresholds: Object.fromEntries(runs.map((run) => [run.scenario, run.checks])),
      checks,
      figures,
    },
    null,
    2,
  )}\n`,
);
const reasons = [
  ...failedRuns.map(
    (run) =>
      `${run.scenario} thresholds (${run.checks.filter((c) => c.startsWith('fail')).length || `exit ${run.exitCode}`})`,
  ),
  ...failedChecks.map((check) => check.name),
];
console.log(
  passed
    ? color.green(
        `\nPASS load ${name}: ${runs.length} scenario(s) within their thresholds, ${checks.length} check(s) held`,
      )
    : color.red(`\nFAIL load ${name}: ${reasons.join('; ')}`),
);
await stack?.stop();
process.exit(passed ? 0 : 1);

/** Signs in an operator account; on a local stack without the demo accounts, seeds them first. */
async function operator(role: string, email: string, password = DEMO_PASSWORD): Promise<SignedIn> {
  try {
    return await logIn(gateway, email, password);
  } catch (error) {
    if (!(error instanceof GraphqlRequestError && error.code === 'UNAUTHENTICATED' && local)) {
      return abort(
        `load: the ${role} ${email} cannot sign in (${errorMessage(error)}); set LOAD_${role}_EMAIL and _PASSWORD`,
      );
    }
    log(`no ${role} ${email} on this stack: seeding the demo data (npm run seed)…`);
    const seed = spawnSync(bin('tsx'), ['--conditions=radiata-source', 'scripts/seed.ts'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (seed.status !== 0) return abort('load: npm run seed failed (see above)');
    return logIn(gateway, email, password);
  }
}

/** Fails the run, stopping the stack it started first (its services are process groups of their own). */
async function abort(message: string): Promise<never> {
  await stack?.stop();
  fail(message);
}
