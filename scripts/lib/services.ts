import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import { setEnvValue } from './env-file.js';
import { color, errorMessage, redactUrl } from './log.js';
import { envFilePath, repoRoot } from './paths.js';
import { postgresAdminUrl } from './subgraphs.js';

/**
 * Makes sure PostgreSQL, Redis and RabbitMQ answer at their configured URLs. A service that is
 * down is started locally (if its URL is local and its server is installed), else with Docker
 * Compose (if a Docker engine runs); otherwise this exits non-zero saying how to provide it.
 */
export async function ensureServices(): Promise<void> {
  const results = await Promise.all(services.map(async (service) => ({ service, error: await probe(service) })));
  const missing: string[] = [];
  for (const { service, error } of results) {
    const url = service.url();
    const shown = `${service.name.padEnd(9)}${redactUrl(url)}`;
    if (!error) {
      console.log(`${color.green('✓')} ${shown}`);
      continue;
    }
    const started = await start(service, url);
    if (started.ok) console.log(`${color.green('✓')} ${shown} ${color.dim(`(started: ${started.how})`)}`);
    else {
      console.log(`${color.red('✗')} ${shown} ${color.red(started.error ?? error)}`);
      missing.push(help(service, url, started.error ?? error, started.listening === true));
    }
  }
  if (missing.length > 0) {
    console.error(`\n${missing.join('\n\n')}`);
    process.exit(1);
  }
}

interface Service {
  readonly name: 'postgres' | 'redis' | 'rabbitmq';
  readonly title: string;
  readonly envVar: string;
  readonly url: () => string;
  /** Resolves when the service answers; rejects with the reason otherwise. */
  readonly check: (url: string) => Promise<void>;
  /** The command that starts a local server (Debian packages), if it is installed. */
  readonly localStart: () => { command: string; args: string[] } | undefined;
  /** The URL of the server docker-compose.yml runs (its credentials come from .env). */
  readonly dockerUrl: () => string;
  /** The port the local start command makes the server listen on. */
  readonly defaultPort: number;
  readonly startTimeoutMs: number;
}

const CHECK_TIMEOUT_MS = 3000;

const services: readonly Service[] = [
  {
    name: 'postgres',
    title: 'PostgreSQL',
    envVar: 'POSTGRES_URL',
    url: postgresAdminUrl,
    check: checkPostgres,
    localStart: () => {
      const command = which('pg_ctlcluster');
      const versions = command ? safeReaddir('/etc/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
      return command && versions[0]
        ? { command, args: ['--skip-systemctl-redirect', versions[0], 'main', 'start'] }
        : undefined;
    },
    dockerUrl: () =>
      `postgres://postgres:${encodeURIComponent(process.env.POSTGRES_PASSWORD ?? '')}@127.0.0.1:5432/postgres`,
    defaultPort: 5432,
    startTimeoutMs: 30_000,
  },
  {
    name: 'redis',
    title: 'Redis',
    envVar: 'REDIS_URL',
    url: () => process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    check: checkRedis,
    localStart: () => {
      const command = which('redis-server');
      const args = ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', ''];
      args.push('--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log');
      return command ? { command, args } : undefined;
    },
    dockerUrl: () => 'redis://127.0.0.1:6379',
    defaultPort: 6379,
    startTimeoutMs: 15_000,
  },
  {
    name: 'rabbitmq',
    title: 'RabbitMQ',
    envVar: 'RABBITMQ_URL',
    url: () => process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
    check: checkRabbitmq,
    localStart: () => {
      const command = which('rabbitmq-server');
      return command ? { command, args: ['-detached'] } : undefined;
    },
    dockerUrl: () => `amqp://radiata:${encodeURIComponent(process.env.RABBITMQ_PASSWORD ?? '')}@127.0.0.1:5672`,
    defaultPort: 5672,
    startTimeoutMs: 90_000,
  },
];

async function probe(service: Service, url = service.url()): Promise<string | undefined> {
  try {
    await service.check(url);
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

interface StartResult {
  readonly ok: boolean;
  readonly how?: string;
  readonly error?: string;
  /** Something listens at the URL's port, but the check failed (credentials, database name, protocol). */
  readonly listening?: boolean;
}

async function start(service: Service, url: string): Promise<StartResult> {
  // Starting another server would not help when one listens but rejects the check.
  if (await portOpen(url, service.defaultPort)) return { ok: false, listening: true };
  if (!isLocal(url)) return { ok: false };
  const local = portOf(url, service.defaultPort) === service.defaultPort ? service.localStart() : undefined;
  if (local) {
    const shown = [local.command, ...local.args.map((arg) => (arg === '' ? '""' : arg))].join(' ');
    console.log(color.dim(`  ${service.name} is down; starting it: ${shown}`));
    const result = spawnSync(local.command, local.args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 });
    if (result.status === 0) {
      const error = await waitFor(service, url);
      return error
        ? { ok: false, error: `started locally but still not answering: ${error}` }
        : { ok: true, how: local.command };
    }
    console.log(color.yellow(`  ${path.basename(local.command)} failed (exit ${result.status ?? result.signal})`));
  }
  if (dockerEngineRuns()) {
    console.log(color.dim(`  ${service.name} is down; starting it: docker compose up -d ${service.name}`));
    const result = spawnSync('docker', ['compose', 'up', '-d', service.name], { cwd: repoRoot, stdio: 'inherit' });
    if (result.status !== 0) return { ok: false, error: `docker compose up -d ${service.name} failed` };
    // The containers have their own credentials (from .env): point this and later runs at them.
    const dockerUrl = service.dockerUrl();
    const error = await waitFor(service, dockerUrl, 120_000);
    if (error) return { ok: false, error: `started with Docker but still not answering: ${error}` };
    process.env[service.envVar] = dockerUrl;
    setEnvValue(envFilePath, service.envVar, dockerUrl);
    return { ok: true, how: `docker compose; ${service.envVar} saved in .env` };
  }
  return { ok: false };
}

async function waitFor(service: Service, url: string, timeoutMs = service.startTimeoutMs): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const error = await probe(service, url);
    if (!error || Date.now() > deadline) return error;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function help(service: Service, url: string, error: string, listening: boolean): string {
  const { hostname, port } = new URL(url);
  const problem = color.red(`${service.title} is not available at ${redactUrl(url)} (${error}).`);
  if (listening) {
    return [
      problem,
      `Something listens on ${hostname}:${port || service.defaultPort} but the check failed: correct ${service.envVar}`,
      `(credentials, database name, port) or the server's configuration.`,
    ].join('\n');
  }
  const lines = [
    problem,
    'Provide it in one of these ways:',
    `  - install and start ${service.title} so that it listens on ${hostname}:${port || 'its default port'}`,
    `  - set ${service.envVar} to the URL of a running ${service.title}`,
  ];
  if (isLocal(url)) {
    lines.push(
      `  - install Docker (with a running engine); \`docker compose up -d ${service.name}\` is then run for you`,
    );
  }
  return lines.join('\n');
}

function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  client.on('error', () => {});
  return client
    .connect()
    .then(() => client.query('SELECT 1'))
    .then(
      () => client.end(),
      async (error: unknown) => {
        await client.end().catch(() => {});
        throw error;
      },
    );
}

/**
 * Redis answers PING. Spoken in RESP over a socket rather than through ioredis, which the root
 * package does not depend on and whose reconnect logic only gets in the way of a one-shot check.
 */
function checkRedis(url: string): Promise<void> {
  const { hostname, port, username, password, protocol } = new URL(url);
  const commands = password ? [['AUTH', ...(username ? [username] : []), password].map(decodeURIComponent)] : [];
  commands.push(['PING']);
  const request = commands.map(
    (args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
  );
  return talk(
    { host: stripBrackets(hostname), port: Number(port || 6379), secure: protocol === 'rediss:' },
    request.join(''),
    (data) => {
      const replies = data.toString('latin1').split('\r\n').filter(Boolean);
      const failed = replies.find((reply) => reply.startsWith('-'));
      if (failed) throw new Error(failed.slice(1));
      return replies.length >= commands.length && replies.at(-1) === '+PONG';
    },
  );
}

/** RabbitMQ answers the AMQP 0-9-1 protocol header with a Connection.Start frame (frame type 1). */
function checkRabbitmq(url: string): Promise<void> {
  const { hostname, port, protocol } = new URL(url);
  const secure = protocol === 'amqps:';
  const header = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);
  return talk(
    { host: stripBrackets(hostname), port: Number(port || (secure ? 5671 : 5672)), secure },
    header,
    (data) => {
      if (data[0] === 1) return true;
      throw new Error('something answers on this port, but it is not AMQP 0-9-1');
    },
  );
}

/** Sends `request` and resolves once `done(received)` is true; rejects on error, close or timeout. */
function talk(
  target: { host: string; port: number; secure: boolean },
  request: string | Buffer,
  done: (received: Buffer) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = target.secure
      ? tls.connect({ host: target.host, port: target.port, servername: target.host })
      : net.connect({ host: target.host, port: target.port });
    let received = Buffer.alloc(0);
    const finish = (error?: Error) => {
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.setTimeout(CHECK_TIMEOUT_MS, () => finish(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)));
    socket.once('error', finish);
    socket.once('close', () => finish(new Error('connection closed before an answer')));
    socket.once(target.secure ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        if (done(received)) finish();
      } catch (error) {
        finish(error as Error);
      }
    });
  });
}

function portOpen(url: string, defaultPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({
      host: stripBrackets(new URL(url).hostname) || '127.0.0.1',
      port: portOf(url, defaultPort),
    });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(CHECK_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const portOf = (url: string, defaultPort: number): number => Number(new URL(url).port || defaultPort);

const stripBrackets = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

const isLocal = (url: string): boolean =>
  ['localhost', '127.0.0.1', '::1', ''].includes(stripBrackets(new URL(url).hostname));

/** An executable on PATH (or in the sbin directories, which non-root PATHs often lack). */
function which(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

const safeReaddir = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

let dockerRuns: boolean | undefined;
function dockerEngineRuns(): boolean {
  dockerRuns ??=
    which('docker') !== undefined && spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
  return dockerRuns;
}
