import { systemClock } from '@radiata/service-runtime';
import { eventually, type MailDev, startMailDev, startTcpProxy, testLogger } from '@radiata/testing';
import { Registry } from 'prom-client';
import { enqueueMail } from '../src/mail/outbox.js';
import { classifySmtpError, MailRelay, type MailRelaySettings } from '../src/mail/relay.js';
import type { Database } from '../src/persistence/database.js';
import { newCustomer, startUsersDatabase, type UsersDatabase } from './support.js';

// The relay against a real SMTP server (MailDev, read through its REST API) and the real database.

const logger = testLogger('mail-relay');

let database: UsersDatabase;
let db: Database;
let maildev: MailDev;
const relays: MailRelay[] = [];
beforeAll(async () => {
  [database, maildev] = await Promise.all([startUsersDatabase(), startMailDev()]);
  db = database.db;
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});
afterAll(async () => {
  await Promise.all([database.stop(), maildev.stop()]);
});

/** A relay as the subgraph runs it, with quick polls and retries; stopped after each test. */
function relay(settings: Partial<MailRelaySettings> = {}, registry?: Registry): MailRelay {
  const instance = new MailRelay(
    db,
    {
      smtpUrl: maildev.smtpUrl,
      from: 'Radiata <no-reply@radiata.test>',
      pollIntervalMs: 50,
      maxAttempts: 3,
      retryInitialMs: 20,
      retryMaxMs: 50,
      ...settings,
    },
    systemClock,
    logger,
    registry,
  );
  relays.push(instance);
  return instance;
}

let counter = 0;
const uniqueAddress = (prefix: string) => `${prefix}.${process.pid}.${counter++}@example.com`;

/** One reset mail in the outbox, written in a transaction as the domain does; its id. */
const enqueueReset = (to: string, options: { locale?: string; userId?: string; url?: string } = {}) =>
  db.$transaction((tx) =>
    enqueueMail(tx, {
      to,
      userId: options.userId ?? null,
      locale: options.locale ?? 'en',
      template: 'password-reset',
      data: { name: 'Kim Minji', resetUrl: options.url ?? 'https://shop.test/reset?token=SECRET', validMinutes: 30 },
    }),
  );

interface MailRow {
  status: string;
  attempts: number;
  text_body: string | null;
  html_body: string | null;
  last_error: string | null;
  finished_at: Date | null;
}
const rowOf = async (id: string) =>
  (
    await db.$queryRaw<MailRow[]>`
      SELECT status, attempts, text_body, html_body, last_error, finished_at FROM mail_outbox WHERE id = ${id}::uuid`
  )[0] as MailRow;

describe('the mail relay', () => {
  it('sends a pending mail through SMTP, then erases its body (the reset link) from the database', async () => {
    const to = uniqueAddress('reset');
    const id = await enqueueReset(to, { url: 'https://shop.test/reset?token=THE-SECRET-TOKEN' });
    expect(await rowOf(id)).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect((await rowOf(id)).text_body).toContain('THE-SECRET-TOKEN');

    relay().start();
    await eventually(async () => (await rowOf(id)).status === 'SENT');
    const [mail] = await maildev.messagesTo(to);
    expect(mail).toMatchObject({ subject: '[Radiata] Reset your password', from: 'no-reply@radiata.test' });
    expect(mail?.text).toContain('https://shop.test/reset?token=THE-SECRET-TOKEN');
    expect(mail?.html).toContain('href="https://shop.test/reset?token=THE-SECRET-TOKEN"');
    expect(mail?.headers['message-id']).toBe(`<${id}@radiata.test>`);

    expect(await rowOf(id)).toMatchObject({ status: 'SENT', attempts: 1, text_body: null, html_body: null });
    expect((await rowOf(id)).finished_at).toBeInstanceOf(Date);
    const leftovers = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM mail_outbox WHERE id = ${id}::uuid AND (mail_outbox::text LIKE '%THE-SECRET-TOKEN%')`;
    expect(Number(leftovers[0]?.n)).toBe(0);
  });

  it('writes Korean mail in Korean, and it arrives as written', async () => {
    const to = uniqueAddress('korean');
    const id = await enqueueReset(to, { locale: 'ko' });
    await relay().drain();
    expect((await rowOf(id)).status).toBe('SENT');
    const [mail] = await maildev.messagesTo(to);
    expect(mail?.subject).toBe('[Radiata] 비밀번호 재설정 안내');
    expect(mail?.text).toContain('Kim Minji님, 안녕하세요.');
    expect(mail?.text).toContain('30분 동안 한 번만 사용할 수 있습니다');
  });

  it('retries a mail the server refuses with a growing wait, then fails it for good, erasing its body', async () => {
    const strict = await startMailDev({ incomingUser: 'relay', incomingPass: 'right' });
    try {
      const to = uniqueAddress('refused');
      const id = await enqueueReset(to);
      const registry = new Registry();
      // Wrong credentials: the server answers every attempt with 535, a refusal that may pass.
      relay({ smtpUrl: strict.smtpUrl.replace('relay:right@', 'relay:wrong@') }, registry).start();
      await eventually(async () => (await rowOf(id)).status === 'FAILED');

      const row = await rowOf(id);
      expect(row).toMatchObject({ attempts: 3, text_body: null, html_body: null });
      expect(row.last_error).toMatch(/535/);
      expect(await strict.messages()).toEqual([]);
      const metrics = await registry.metrics();
      expect(metrics).toMatch(/radiata_mail_deliveries_total\{outcome="retried"\} 2/);
      expect(metrics).toMatch(/radiata_mail_deliveries_total\{outcome="failed"\} 1/);
      expect(metrics).toMatch(/radiata_mail_outbox\{status="failed"\} [1-9]/);
    } finally {
      await strict.stop();
    }
  });

  it('fails at once a mail no server could deliver (no valid recipient)', async () => {
    const id = await db.$transaction((tx) =>
      enqueueMail(tx, {
        to: 'not an address',
        locale: 'ko',
        template: 'password-changed',
        data: { name: 'X', changedAt: new Date(), how: 'changed' },
      }),
    );
    await relay().drain();
    expect(await rowOf(id)).toMatchObject({ status: 'FAILED', attempts: 1, text_body: null });
  });

  it('keeps mails waiting, attempts untouched, while the server is unreachable, and sends them once it is back', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: maildev.smtpPort });
    try {
      await proxy.stop();
      const to = uniqueAddress('outage');
      const id = await enqueueReset(to);
      const registry = new Registry();
      relay({ smtpUrl: `smtp://127.0.0.1:${proxy.port}`, maxAttempts: 1 }, registry).start();
      // Tried more than once (with maxAttempts 1, a counted attempt would have failed it)…
      await eventually(async () => /outcome="unreachable"\} [2-9]/.test(await registry.metrics()));
      expect(await rowOf(id)).toMatchObject({ status: 'PENDING', attempts: 0, text_body: expect.any(String) });
      expect((await rowOf(id)).last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(await maildev.messagesTo(to)).toEqual([]);

      await proxy.start();
      await eventually(async () => (await rowOf(id)).status === 'SENT');
      expect(await maildev.messagesTo(to)).toHaveLength(1);
      expect(await rowOf(id)).toMatchObject({ attempts: 1, text_body: null });
    } finally {
      await proxy.stop();
    }
  });

  it('never sends one mail twice when two relays (replicas) share the outbox', async () => {
    const batch = `pair.${process.pid}.${counter++}`;
    const addresses = Array.from({ length: 30 }, (_, i) => `${batch}.${i}@example.com`);
    const ids = await Promise.all(addresses.map((to) => enqueueReset(to)));
    const first = relay({ batchSize: 4, pollIntervalMs: 10 });
    const second = relay({ batchSize: 4, pollIntervalMs: 10 });
    first.start();
    second.start();
    await eventually(async () => {
      const rows = await db.mailOutbox.findMany({ where: { id: { in: ids } }, select: { status: true } });
      return rows.every((row) => row.status === 'SENT');
    });
    const caught = (await maildev.messages()).filter((mail) => mail.to[0]?.startsWith(`${batch}.`));
    expect(caught).toHaveLength(30);
    expect(new Set(caught.map((mail) => mail.to[0])).size).toBe(30);
    expect(new Set(caught.map((mail) => mail.headers['message-id'])).size).toBe(30);
    const attempts = await db.mailOutbox.findMany({ where: { id: { in: ids } }, select: { attempts: true } });
    expect(attempts.every((row) => row.attempts === 1)).toBe(true);
  });

  it('cancels, without sending, a mail whose account was deleted before it went out', async () => {
    const user = await newCustomer(db);
    const id = await enqueueReset(user.email, { userId: user.id });
    await db.user.update({ where: { id: user.id }, data: { deletedAt: new Date() } });
    await relay().drain();
    expect(await rowOf(id)).toMatchObject({ status: 'CANCELLED', attempts: 0, text_body: null, html_body: null });
    expect(await maildev.messagesTo(user.email)).toEqual([]);
  });

  it('counts pending mails for the metrics and for pending()', async () => {
    const registry = new Registry();
    const idle = relay({ pollIntervalMs: 60_000 }, registry);
    const before = await idle.pending();
    await enqueueReset(uniqueAddress('counted'));
    expect(await idle.pending()).toBe(before + 1);
    expect(await registry.metrics()).toContain(`radiata_mail_outbox{status="pending"} ${before + 1}`);
    await idle.drain();
    expect(await idle.pending()).toBe(before);
  });
});

describe('what an SMTP failure means', () => {
  it('tells an unreachable server, a refused recipient and a refusal worth retrying apart', () => {
    expect(classifySmtpError({ code: 'ESOCKET' })).toBe('unreachable');
    expect(classifySmtpError({ code: 'ECONNECTION' })).toBe('unreachable');
    expect(classifySmtpError({ code: 'ETIMEDOUT' })).toBe('unreachable');
    expect(classifySmtpError({ code: 'EPROTOCOL', responseCode: 421 })).toBe('unreachable');
    expect(classifySmtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 })).toBe('permanent');
    expect(classifySmtpError({ code: 'EENVELOPE', command: 'API' })).toBe('permanent');
    expect(classifySmtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 452 })).toBe('retry');
    expect(classifySmtpError({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535 })).toBe('retry');
    expect(classifySmtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 554 })).toBe('retry');
    expect(classifySmtpError(new Error('anything else'))).toBe('retry');
  });
});
