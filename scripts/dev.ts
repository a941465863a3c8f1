// `npm run dev` (watch mode) and `npm start` (--no-watch): the whole graph on this machine.
// 1. .env: generates the local secrets it lacks, then loads it (the environment wins);
// 2. PostgreSQL, Redis, RabbitMQ: checked, started if possible (lib/services.ts);
// 3. Prisma clients generated, db:migrate and compose (subgraph SDL printed from the type-graphql
//    classes, then the supergraph); in watch mode both are redone when a subgraph's sources change;
// 4. every subgraph of rover.yaml on its routing_url port, and the gateway, from TypeScript sources
//    (`@radiata/*` packages resolve to src/ through the `radiata-source` condition: no build needed);
//    beside them the payment provider fake (packages/provider-fake), unless PROVIDER_BASE_URL
//    points the payments subgraph at a real provider, and MailDev (an SMTP server with a web inbox)
//    where the users subgraph sends its mail, unless SMTP_URL points it at a real mail server;
// 5. the storefront (web/): Vite's dev server on STOREFRONT_PORT (5173), calling the gateway from the
//    browser (the gateway's CORS_ORIGINS gets its origins); its typed operations are generated again
//    when web/src or the API schema changes (watch mode).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, watch as watchFiles } from 'node:fs';
import path from 'node:path';
import { supergraphPath } from './lib/compose.js';
import { loadLocalEnv } from './lib/env-file.js';
import { color, errorMessage, fail, palette } from './lib/log.js';
import { migrateAll } from './lib/migrate.js';
import { bin, repoRoot } from './lib/paths.js';
import { type Child, killGroup, startChild, stopChildren, waitForHealthy } from './lib/processes.js';
import { ensureServices } from './lib/services.js';
import { databaseUrl, readSubgraphs, type Subgraph } from './lib/subgraphs.js';

const watch = !process.argv.includes('--no-watch');
const HEALTH_TIMEOUT_MS = 120_000;

// 1. Local secrets.
loadLocalEnv({ generate: true });

// 2. Services.
await ensureServices();

// 3. Prisma clients (gitignored, generated from each prisma/schema.prisma), databases and supergraph.
const generate = spawnSync(bin('turbo'), ['run', 'generate', '--output-logs=errors-only'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
if (generate.status !== 0) fail('dev: generating the Prisma clients failed (see above)');
let subgraphs: Subgraph[] = [];
try {
  subgraphs = readSubgraphs();
  await migrateAll(subgraphs);
} catch (error) {
  fail(`dev: ${errorMessage(error)}`);
}
const supergraphFile = process.env.SUPERGRAPH_PATH ? path.resolve(process.env.SUPERGRAPH_PATH) : supergraphPath;
// In a child process: it imports the subgraphs' sources, which must be read afresh after each change.
const composeArgs = ['--conditions=radiata-source', 'scripts/compose.ts', '--out', supergraphFile];
if (spawnSync(bin('tsx'), composeArgs, { cwd: repoRoot, stdio: 'inherit' }).status !== 0) {
  fail('dev: composing the supergraph failed (see above)');
}

// 4. Processes.
const gatewayPort = Number(process.env.GATEWAY_PORT || 4000);
// The payment provider: a PROVIDER_BASE_URL of the developer's points payments at a real one (with
// its own PROVIDER_SECRET_KEY); otherwise the fake stands in for it, with the generated test key.
const providerFakePort = Number(process.env.PROVIDER_FAKE_PORT || 4010);
const providerFakeUrl = process.env.PROVIDER_BASE_URL ? undefined : `http://127.0.0.1:${providerFakePort}`;
// Mail: an SMTP_URL of the developer's points users at a real mail server; otherwise MailDev
// catches every mail (SMTP on MAILDEV_SMTP_PORT, the inbox on MAILDEV_WEB_PORT, loopback only).
const mailSmtpPort = Number(process.env.MAILDEV_SMTP_PORT || 1025);
const mailWebPort = Number(process.env.MAILDEV_WEB_PORT || 1080);
const maildevSmtpUrl = process.env.SMTP_URL ? undefined : `smtp://127.0.0.1:${mailSmtpPort}`;
// The storefront: its origins may call the gateway from a browser, and the password reset mail links to it.
const storefrontPort = Number(process.env.STOREFRONT_PORT || 5173);
const storefrontOrigins = [`http://localhost:${storefrontPort}`, `http://127.0.0.1:${storefrontPort}`];
const corsOrigins = [process.env.CORS_ORIGINS, ...storefrontOrigins].filter(Boolean).join(',');
const passwordResetUrl = process.env.PASSWORD_RESET_URL || `http://localhost:${storefrontPort}/reset-password`;
interface Service {
  readonly name: string;
  /** A TypeScript entry point run by tsx (watched in dev)… */
  readonly entry?: string;
  /** …or a ready-made program run by node. */
  readonly script?: { readonly file: string; readonly args: readonly string[] };
  readonly port: number;
  /** What answers 200 once it serves (default /healthz). */
  readonly healthPath?: string;
  readonly env: Record<string, string>;
  readonly watchAlso: readonly string[];
}
const services: Service[] = [
  ...(maildevSmtpUrl
    ? [
        {
          name: 'maildev',
          script: {
            file: path.join('node_modules', 'maildev', 'bin', 'maildev'),
            args: ['--ip', '127.0.0.1', '--smtp', String(mailSmtpPort), '--web', String(mailWebPort)],
          },
          // Its health check (/healthz) is on the inbox's port.
          port: mailWebPort,
          env: {},
          watchAlso: [],
        },
      ]
    : []),
  ...(providerFakeUrl
    ? [
        {
          name: 'provider-fake',
          entry: path.join('packages', 'provider-fake', 'src', 'main.ts'),
          port: providerFakePort,
          env: { PROVIDER_FAKE_PORT: String(providerFakePort) },
          watchAlso: [],
        },
      ]
    : []),
  ...subgraphs.map((subgraph) => ({
    name: subgraph.name,
    entry: path.join('subgraphs', subgraph.name, 'src', 'main.ts'),
    port: subgraph.port,
    env: {
      DATABASE_URL: databaseUrl(subgraph.name),
      ...(subgraph.name === 'payments' && providerFakeUrl ? { PROVIDER_BASE_URL: providerFakeUrl } : {}),
      ...(subgraph.name === 'users' && maildevSmtpUrl ? { SMTP_URL: maildevSmtpUrl } : {}),
      ...(subgraph.name === 'users' ? { PASSWORD_RESET_URL: passwordResetUrl } : {}),
    },
    watchAlso: [],
  })),
  {
    name: 'gateway',
    entry: path.join('gateway', 'src', 'main.ts'),
    port: gatewayPort,
    // The point of dev is Apollo Sandbox at the gateway's /graphql (introspection + landing page).
    env: { SANDBOX: process.env.SANDBOX ?? 'true', SUPERGRAPH_PATH: supergraphFile, CORS_ORIGINS: corsOrigins },
    watchAlso: [supergraphFile],
  },
  {
    // Vite watches and reloads by itself.
    name: 'storefront',
    script: {
      file: path.join('node_modules', 'vite', 'bin', 'vite.js'),
      args: ['web', '--port', String(storefrontPort), '--clearScreen', 'false'],
    },
    port: storefrontPort,
    healthPath: '/',
    env: {},
    watchAlso: [],
  },
];
const width = Math.max(...services.map((service) => service.name.length));
const children: Child[] = services.map((service, index) => {
  const paint = palette[index % palette.length] ?? color.dim;
  const env = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV || 'development',
    ...service.env,
    PORT: String(service.port),
  };
  if (service.script) {
    const args = [service.script.file, ...service.script.args];
    return startChild(service.name, process.execPath, args, { env, prefix: paint(service.name.padEnd(width)) });
  }
  const args = watch
    ? ['watch', '--clear-screen=false', ...service.watchAlso.flatMap((file) => ['--include', file])]
    : [];
  // tsx takes node flags after its `watch` command (`tsx --conditions=… watch` would run a file named "watch").
  args.push('--conditions=radiata-source', service.entry as string);
  return startChild(service.name, bin('tsx'), args, { env, prefix: paint(service.name.padEnd(width)) });
});

let stopping = false;
async function shutdown(reason: string, exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log(color.dim(`\n${reason}: stopping ${children.filter((child) => child.running).length} process(es)…`));
    await stopChildren(children);
  }
  process.exit(exitCode);
}
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('exit', () => {
  // Last resort if this script dies some other way: no orphans holding the ports.
  for (const child of children) if (child.running) killGroup(child.process, 'SIGKILL');
});

for (const child of children) {
  void child.exited.then(({ code, signal }) => {
    if (stopping) return;
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    if (watch) console.log(color.red(`${child.name} ${how}; restart npm run dev to bring it back`));
    else void shutdown(`${child.name} ${how}`, 1);
  });
}

const health = await Promise.allSettled(
  services.map((service, index) =>
    waitForHealthy(
      `http://127.0.0.1:${service.port}${service.healthPath ?? '/healthz'}`,
      children[index] as Child,
      HEALTH_TIMEOUT_MS,
    ),
  ),
);
const unhealthy = health.flatMap((result) => (result.status === 'rejected' ? [errorMessage(result.reason)] : []));
if (unhealthy.length > 0) {
  for (const problem of unhealthy) console.log(color.red(`✗ ${problem}`));
  if (!watch) await shutdown('not every process became healthy', 1);
  console.log(color.yellow('Some processes are not healthy yet; fix the error above (files are watched).'));
} else {
  console.log(
    color.green(
      `\n✓ all ${children.length} processes healthy (${services.map((s) => `${s.name} :${s.port}`).join(', ')})`,
    ),
  );
}
console.log(color.bold(`Apollo Sandbox: http://localhost:${gatewayPort}/graphql`));
console.log(color.bold(`Storefront: http://localhost:${storefrontPort}`));
if (maildevSmtpUrl) console.log(color.bold(`Mail inbox (MailDev): http://localhost:${mailWebPort}`));

if (watch) {
  // A subgraph's schema is its TypeScript: after a change (tsx restarts that subgraph), print the
  // SDL and recompose; the gateway restarts when the supergraph file changes (tsx watches it).
  let timer: NodeJS.Timeout | undefined;
  let composing = false;
  let again = false;
  const recompose = () => {
    if (composing) {
      again = true;
      return;
    }
    composing = true;
    const child = spawn(bin('tsx'), composeArgs, { cwd: repoRoot, stdio: 'inherit' });
    child.once('exit', (code) => {
      if (code !== 0) console.log(color.red('compose failed (see above); fix the schema classes (files are watched)'));
      else regenerateWeb(); // the API schema may have changed
      composing = false;
      if (again) {
        again = false;
        recompose();
      }
    });
  };
  // Every directory is watched on its own: Node's recursive watch on Linux follows files, and loses
  // one that an editor saves by writing a new file and renaming it over the old.
  const directories = (dir: string): string[] => [
    dir,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'generated')
      .flatMap((entry) => directories(path.join(dir, entry.name))),
  ];
  // The storefront's typed operations (web/src/generated/graphql): made again when an operation in
  // web/src changes, or the API schema after a recompose. Vite reloads the page when they are written.
  let webTimer: NodeJS.Timeout | undefined;
  let generating = false;
  let generateAgain = false;
  function regenerateWeb(): void {
    if (generating) {
      generateAgain = true;
      return;
    }
    generating = true;
    const child = spawn(bin('graphql-codegen'), ['--config', 'codegen.ts'], {
      cwd: path.join(repoRoot, 'web'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) => {
      if (code !== 0) console.log(color.red('storefront: generating typed operations failed (see above)'));
      generating = false;
      if (generateAgain) {
        generateAgain = false;
        regenerateWeb();
      }
    });
  }
  const webSources = path.join(repoRoot, 'web', 'src');
  for (const dir of existsSync(webSources) ? directories(webSources) : []) {
    watchFiles(dir, (_event, file) => {
      if (!file?.endsWith('.ts') && !file?.endsWith('.tsx')) return;
      clearTimeout(webTimer);
      webTimer = setTimeout(regenerateWeb, 300);
    });
  }
  for (const subgraph of subgraphs) {
    const sources = path.join(subgraph.dir, 'src');
    if (!existsSync(sources)) continue;
    for (const dir of directories(sources)) {
      watchFiles(dir, (_event, file) => {
        if (!file?.endsWith('.ts')) return;
        clearTimeout(timer);
        timer = setTimeout(recompose, 300);
      });
    }
  }
}
