import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { graphRoot } from './subgraph.js';

/** A mail as MailDev's REST API (`GET /email`) shows it, reduced to what tests read. */
export interface CaughtMail {
  readonly id: string;
  readonly subject: string;
  /** The envelope's recipients (RCPT TO). */
  readonly to: readonly string[];
  readonly from: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface MailDev {
  /** Where to send: `smtp://127.0.0.1:<port>` (with the credentials, when it requires some). */
  readonly smtpUrl: string;
  readonly smtpPort: number;
  /** The web inbox and REST API: `http://127.0.0.1:<port>`. */
  readonly webUrl: string;
  /** Every mail caught so far, oldest first. */
  messages(): Promise<CaughtMail[]>;
  /** The mails caught for `address` (envelope recipient, any case), oldest first. */
  messagesTo(address: string): Promise<CaughtMail[]>;
  /** Deletes every caught mail. */
  clear(): Promise<void>;
  /** Stops the server and deletes its mail directory. */
  stop(): Promise<void>;
}

export interface MailDevOptions {
  /** Requires SMTP AUTH with these credentials (a sender without them, or with others, is refused). */
  readonly incomingUser?: string;
  readonly incomingPass?: string;
}

// MailDev keeps its servers in module singletons and installs signal handlers that exit the
// process: it runs in a child process of its own, never inside a test's.
const CHILD_SCRIPT = `
const config = JSON.parse(process.argv[1]);
const MailDev = require('maildev');
const web = require('maildev/lib/web');
const maildev = new MailDev(config);
maildev.listen((error) => {
  if (error) { console.error(String(error)); process.exit(1); }
  const ready = () => process.stdout.write('maildev ready\\n');
  if (web.server.listening) ready(); else web.server.once('listening', ready);
});
`;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

async function spawnMailDev(
  smtpPort: number,
  webPort: number,
  mailDirectory: string,
  options: MailDevOptions,
): Promise<ChildProcess> {
  const config = {
    smtp: smtpPort,
    web: webPort,
    ip: '127.0.0.1',
    silent: true,
    mailDirectory,
    ...(options.incomingUser ? { incomingUser: options.incomingUser, incomingPass: options.incomingPass } : {}),
  };
  const child = spawn(process.execPath, ['-e', CHILD_SCRIPT, JSON.stringify(config)], {
    cwd: graphRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  });
  let printed = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      if (printed.includes('maildev ready')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`MailDev exited (${code ?? signal}) before it was ready: ${output}`)),
    );
  });
  return child;
}

interface RawMail {
  id: string;
  subject?: string;
  envelope?: { to?: { address: string }[] };
  from?: { address: string; name?: string }[];
  text?: string;
  html?: string;
  headers?: Record<string, string>;
}

/**
 * A real SMTP server with a web inbox and REST API (MailDev 2, https://github.com/maildev/maildev)
 * on free loopback ports, in a child process: what the users subgraph's mail relay sends to in
 * tests. Small and quick to start (about a second), so a test graph starts one of its own.
 */
export async function startMailDev(options: MailDevOptions = {}): Promise<MailDev> {
  const mailDirectory = mkdtempSync(path.join(tmpdir(), 'radiata-maildev-'));
  let child: ChildProcess | undefined;
  let smtpPort = 0;
  let webPort = 0;
  // A port found free may be taken before MailDev binds it: then try other ones.
  for (let attempt = 1; !child; attempt++) {
    [smtpPort, webPort] = [await freePort(), await freePort()];
    try {
      child = await spawnMailDev(smtpPort, webPort, mailDirectory, options);
    } catch (error) {
      if (attempt >= 3) {
        rmSync(mailDirectory, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const running = child;
  const exited = running.exitCode === null ? once(running, 'exit') : Promise.resolve();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const credentials = options.incomingUser
    ? `${encodeURIComponent(options.incomingUser)}:${encodeURIComponent(options.incomingPass ?? '')}@`
    : '';
  const messages = async (): Promise<CaughtMail[]> => {
    const response = await request(`${webUrl}/email`);
    const mails = (await response.body.json()) as RawMail[];
    return mails.map((mail) => ({
      id: mail.id,
      subject: mail.subject ?? '',
      to: (mail.envelope?.to ?? []).map((to) => to.address),
      from: mail.from?.[0]?.address ?? '',
      text: mail.text ?? '',
      html: mail.html ?? '',
      headers: mail.headers ?? {},
    }));
  };
  return {
    smtpUrl: `smtp://${credentials}127.0.0.1:${smtpPort}`,
    smtpPort,
    webUrl,
    messages,
    messagesTo: async (address) =>
      (await messages()).filter((mail) => mail.to.some((to) => to.toLowerCase() === address.toLowerCase())),
    clear: async () => {
      const response = await request(`${webUrl}/email/all`, { method: 'DELETE' });
      await response.body.dump();
    },
    stop: async () => {
      if (running.exitCode === null && running.signalCode === null) {
        running.kill('SIGTERM');
        const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(mailDirectory, { recursive: true, force: true });
    },
  };
}
