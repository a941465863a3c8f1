import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivateBroker {
  /** amqp://guest:guest@127.0.0.1:<port> */
  readonly url: string;
  /** `rabbitmqctl stop_app`: every connection drops, the node stays (its quorum queues and messages too). */
  stopApp(): Promise<void>;
  /** `rabbitmqctl start_app`, resolving once the node serves again. */
  startApp(): Promise<void>;
  /** Stops the node and deletes its files. */
  stop(): Promise<void>;
}

/**
 * A RabbitMQ node of its own (the machine's rabbitmq-server, another node name, port and data
 * directory): a test may stop and start it (`rabbitmqctl stop_app` / `start_app`) without touching
 * the broker every other suite uses at the same time. Needs rabbitmq-server installed and the
 * rights to run it (CI runs as root; the node itself runs as the rabbitmq user).
 */
export async function startPrivateBroker(): Promise<PrivateBroker> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNode();
    } catch (error) {
      // A port taken between our choice and the node's bind: another choice.
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Ports below Linux's ephemeral range (32768–60999), where no outbound connection of a busy test
 * run can take them first, and clear of each other: AMQP P in 21000–23999, the node's
 * distribution port P − 10500, and rabbitmqctl's own distribution ports, which RabbitMQ's CLI
 * takes at that + 10000 … + 10010 (P − 500 … P − 490).
 */
const distributionPortOf = (port: number) => port - 10_500;

function choosePort(): number {
  return 21_000 + Math.floor(Math.random() * 3_000);
}

async function startNode(): Promise<PrivateBroker> {
  const port = choosePort();
  const node = `radiata-test-${process.pid}-${port}@localhost`;
  const dir = mkdtempSync(path.join(tmpdir(), 'radiata-broker-'));
  writeFileSync(path.join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(path.join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\nloopback_users = none\n`);
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: node,
    RABBITMQ_DIST_PORT: String(distributionPortOf(port)),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: path.join(dir, 'pid'),
  };
  // The Debian scripts run the node as the rabbitmq user: it must own its directory.
  await run('chown', ['-R', 'rabbitmq:rabbitmq', dir]).catch(() => chownSync(dir, process.getuid?.() ?? 0, 0));
  const ctl = (...args: string[]) => run('rabbitmqctl', ['-n', node, ...args], { env, timeout: 120_000 });
  try {
    await run('rabbitmq-server', ['-detached'], { env });
    await ctl('wait', path.join(dir, 'pid'), '--timeout', '120');
  } catch (error) {
    await ctl('stop').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    stopApp: async () => {
      await ctl('stop_app');
    },
    startApp: async () => {
      await ctl('start_app');
      await ctl('await_startup');
    },
    stop: async () => {
      await ctl('stop').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
