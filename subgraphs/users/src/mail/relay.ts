import type { Logger } from '@radiata/observability';
import { backoff } from '@radiata/outbox';
import type { BackgroundWorker, Clock } from '@radiata/service-runtime';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database } from '../persistence/database.js';

export interface MailRelaySettings {
  /** `smtp://[user:pass@]host:port` (STARTTLS when the server offers it) or `smtps://…` (TLS). */
  readonly smtpUrl: string;
  /** The From of every mail, e.g. `Radiata <no-reply@example.com>`. */
  readonly from: string;
  /** How often the relay looks for mail that is due. */
  readonly pollIntervalMs: number;
  /** SMTP attempts a mail gets, the server refusing or failing it, before it fails for good. */
  readonly maxAttempts: number;
  /** The wait after a mail's first failed attempt; it doubles after each further one, up to retryMaxMs. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** Mails leased per round. Default 20. */
  readonly batchSize?: number;
  /** How long a relay holds the mails it is sending before another may take them. Default 2 min. */
  readonly leaseMs?: number;
  /** How long sent, failed and cancelled mails are kept (without their bodies). Default 7 days. */
  readonly retentionMs?: number;
}

interface LeasedMail {
  readonly id: string;
  readonly userId: string | null;
  readonly recipient: string;
  readonly template: string;
  readonly subject: string;
  readonly textBody: string;
  readonly htmlBody: string | null;
  readonly attempts: number;
  readonly accountDeleted: boolean;
}

/** How an SMTP attempt ended, as far as what to do next goes. */
type Outcome = 'sent' | 'unreachable' | 'permanent' | 'retry';

const DAY_MS = 86_400_000;
const PURGE_EVERY_MS = 3_600_000;
const PURGE_BATCH = 1_000;
/** Longest wait between probes of a mail server that cannot be reached. */
const UNREACHABLE_MAX_WAIT_MS = 30_000;
const MAX_ERROR_LENGTH = 1_000;
// Every SMTP step is bounded (nodemailer's socket default is 10 minutes), well inside a lease.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * What a failed SMTP attempt says (nodemailer's `code`, `command` and `responseCode`):
 * - no answer from the server (refused, reset, timed out, DNS) or 421 "service not available":
 *   the server is unreachable, not the mail at fault: no attempt is counted, the relay waits;
 * - a recipient refused for good (5xx to RCPT TO) or an address nodemailer cannot send to: failed;
 * - anything else the server answered (4xx, refused credentials, a failed DATA): retried later.
 */
export function classifySmtpError(error: unknown): Exclude<Outcome, 'sent'> {
  const { code, command, responseCode } = (error ?? {}) as { code?: string; command?: string; responseCode?: number };
  if (responseCode === 421) return 'unreachable';
  if (code === 'EENVELOPE' && (command === 'RCPT TO' || command === 'API') && (!responseCode || responseCode >= 500))
    return 'permanent';
  if (!responseCode && ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS'].includes(code ?? '')) return 'unreachable';
  return 'retry';
}

const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, MAX_ERROR_LENGTH);

/** The domain of the From address, for Message-IDs. */
const domainOf = (from: string) => /@([^\s>]+)>?\s*$/.exec(from)?.[1] ?? 'radiata.localhost';

/**
 * Sends the mail outbox (mail_outbox) through SMTP, on every replica. Each round leases due mails
 * (`FOR UPDATE SKIP LOCKED`, then `locked_until`, so replicas never take the same mail while a
 * relay works normally, and a relay that died mid-send leaves its mails to the others after the
 * lease) and sends them one by one, outside any transaction. A sent mail, and one that fails for
 * good or whose account was deleted meanwhile, loses its body at once (a reset link must not
 * outlive its use). While the server cannot be reached, mails keep their attempts and wait; the
 * relay probes again after a growing wait. Stop lets the round in flight finish.
 *
 * Metrics: `radiata_mail_outbox{status}` (pending, failed and cancelled mails kept, read at
 * scrape) and `radiata_mail_deliveries_total{outcome}` (sent, retried, failed, cancelled, unreachable).
 */
export class MailRelay implements BackgroundWorker {
  private readonly transport;
  private readonly retryDelay;
  private readonly unreachableDelay;
  private readonly deliveries: Counter<'outcome'> | undefined;
  private readonly log: Logger;
  private readonly messageIdDomain: string;
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private unreachableRounds = 0;
  private lastPurge = 0;

  constructor(
    private readonly db: Database,
    private readonly settings: MailRelaySettings,
    private readonly clock: Clock,
    logger: Logger,
    registry?: Registry,
  ) {
    this.log = logger.child({ component: 'mail-relay' });
    this.transport = nodemailer.createTransport({ url: settings.smtpUrl, ...SMTP_TIMEOUTS } as SMTPTransport.Options, {
      from: settings.from,
    });
    this.messageIdDomain = domainOf(settings.from);
    this.retryDelay = backoff({ initialDelayMs: settings.retryInitialMs, maxDelayMs: settings.retryMaxMs });
    this.unreachableDelay = backoff({
      initialDelayMs: settings.pollIntervalMs,
      maxDelayMs: Math.max(settings.pollIntervalMs, UNREACHABLE_MAX_WAIT_MS),
    });
    if (registry) {
      this.deliveries = new Counter({
        name: 'radiata_mail_deliveries_total',
        help: 'SMTP sending rounds of the mail outbox by outcome: sent, retried, failed (for good), cancelled (account deleted), unreachable (server down; nothing counted against the mail)',
        labelNames: ['outcome'] as const,
        registers: [registry],
      });
      const relay = this;
      new Gauge({
        name: 'radiata_mail_outbox',
        help: 'Mails in the outbox by status: pending (to send), failed (for good) and cancelled, kept for the retention period',
        labelNames: ['status'] as const,
        registers: [registry],
        async collect() {
          const counts = await relay.counts().catch(() => undefined);
          if (!counts) return;
          for (const status of ['pending', 'failed', 'cancelled'] as const) this.set({ status }, counts[status]);
        },
      });
    }
  }

  start(): void {
    this.log.info({ pollIntervalMs: this.settings.pollIntervalMs }, 'mail relay started');
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.exclusive(async () => undefined);
    this.transport.close();
    this.log.info('mail relay stopped');
  }

  /**
   * Sends every mail due now (after the round in flight), until none is left or the server cannot
   * be reached; resolves with how many were sent. For tests and tools.
   */
  drain(): Promise<number> {
    return this.exclusive(async () => {
      let sent = 0;
      for (;;) {
        const round = await this.round();
        sent += round.sent;
        if (round.unreachable || round.leased === 0) return sent;
      }
    });
  }

  /** Mails not yet sent, failed or cancelled. */
  async pending(): Promise<number> {
    return (await this.counts()).pending;
  }

  private async counts(): Promise<{ pending: number; failed: number; cancelled: number }> {
    const rows = await this.db.$queryRaw<{ status: string; count: bigint }[]>`
      SELECT status, count(*) AS count FROM mail_outbox WHERE status IN ('PENDING', 'FAILED', 'CANCELLED') GROUP BY status`;
    const of = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
    return { pending: of('PENDING'), failed: of('FAILED'), cancelled: of('CANCELLED') };
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.exclusive(() => this.tick()), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopping) return;
    let next = this.settings.pollIntervalMs;
    try {
      const round = await this.round();
      if (round.unreachable) next = this.unreachableDelay(this.unreachableRounds);
      else if (round.leased === (this.settings.batchSize ?? 20)) next = 0;
      await this.purgeIfDue();
    } catch (error) {
      this.log.error({ err: error }, 'mail relay round failed; retrying');
    }
    this.schedule(next);
  }

  /** Leases due mails and sends them; stops at the first sign that the server cannot be reached. */
  private async round(): Promise<{ leased: number; sent: number; unreachable: boolean }> {
    const mails = await this.lease();
    let sent = 0;
    for (const [index, mail] of mails.entries()) {
      if (this.stopping) {
        await this.release(mails.slice(index).map((m) => m.id));
        return { leased: mails.length, sent, unreachable: false };
      }
      if (mail.accountDeleted) {
        await this.finish(mail, 'CANCELLED', 'the account was deleted');
        this.deliveries?.inc({ outcome: 'cancelled' });
        continue;
      }
      const outcome = await this.send(mail);
      if (outcome === 'sent') sent++;
      if (outcome === 'unreachable') {
        await this.release(mails.slice(index + 1).map((m) => m.id));
        return { leased: mails.length, sent, unreachable: true };
      }
    }
    return { leased: mails.length, sent, unreachable: false };
  }

  private async lease(): Promise<LeasedMail[]> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + (this.settings.leaseMs ?? 120_000));
    const rows = await this.db.$queryRaw<
      {
        id: string;
        user_id: string | null;
        recipient: string;
        template: string;
        subject: string;
        text_body: string;
        html_body: string | null;
        attempts: number;
        account_deleted: boolean;
      }[]
    >`
      UPDATE mail_outbox AS m SET locked_until = ${until}::timestamptz
      FROM (
        SELECT id FROM mail_outbox
        WHERE status = 'PENDING' AND next_attempt_at <= ${now}::timestamptz
          AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
        ORDER BY next_attempt_at
        LIMIT ${this.settings.batchSize ?? 20}
        FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE m.id = due.id
      RETURNING m.id::text, m.user_id::text, m.recipient, m.template, m.subject, m.text_body, m.html_body, m.attempts,
        EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id AND u.deleted_at IS NOT NULL) AS account_deleted`;
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      recipient: row.recipient,
      template: row.template,
      subject: row.subject,
      textBody: row.text_body,
      htmlBody: row.html_body,
      attempts: row.attempts,
      accountDeleted: row.account_deleted,
    }));
  }

  private async send(mail: LeasedMail): Promise<Outcome> {
    const log = this.log.child({ mailId: mail.id, template: mail.template, userId: mail.userId });
    try {
      await this.transport.sendMail({
        to: mail.recipient,
        subject: mail.subject,
        text: mail.textBody,
        ...(mail.htmlBody ? { html: mail.htmlBody } : {}),
        // The same id on every attempt: a receiver may recognise a mail sent again after a crash.
        messageId: `<${mail.id}@${this.messageIdDomain}>`,
      });
    } catch (error) {
      const outcome = classifySmtpError(error);
      const reason = errorText(error);
      if (outcome === 'unreachable') {
        await this.release([mail.id], reason);
        if (this.unreachableRounds === 0) log.warn({ err: error }, 'mail server unreachable; mails wait');
        this.unreachableRounds++;
        this.deliveries?.inc({ outcome: 'unreachable' });
        return outcome;
      }
      this.reached();
      const attempts = mail.attempts + 1;
      if (outcome === 'permanent' || attempts >= this.settings.maxAttempts) {
        await this.finish(mail, 'FAILED', reason);
        this.deliveries?.inc({ outcome: 'failed' });
        log.error({ err: error, attempts }, 'mail failed for good');
        return 'permanent';
      }
      const retryInMs = this.retryDelay(attempts);
      await this.db.mailOutbox.updateMany({
        where: { id: mail.id, status: 'PENDING' },
        data: {
          attempts,
          lastError: reason,
          lockedUntil: null,
          nextAttemptAt: new Date(this.clock.now().getTime() + retryInMs),
        },
      });
      this.deliveries?.inc({ outcome: 'retried' });
      log.warn({ err: error, attempts, retryInMs }, 'mail refused by the server; will retry');
      return 'retry';
    }
    this.reached();
    await this.finish(mail, 'SENT', null);
    this.deliveries?.inc({ outcome: 'sent' });
    log.info('mail sent');
    return 'sent';
  }

  /** The server answered: if it could not be reached before, say so and probe at the normal pace again. */
  private reached(): void {
    if (this.unreachableRounds === 0) return;
    this.log.info('mail relay reached the mail server again');
    this.unreachableRounds = 0;
  }

  /** The mail's last state: its body erased (the table refuses a finished mail that keeps one). */
  private async finish(mail: LeasedMail, status: 'SENT' | 'FAILED' | 'CANCELLED', reason: string | null) {
    await this.db.mailOutbox.updateMany({
      where: { id: mail.id, status: 'PENDING' },
      data: {
        status,
        finishedAt: this.clock.now(),
        textBody: null,
        htmlBody: null,
        lockedUntil: null,
        lastError: reason,
        ...(status === 'CANCELLED' ? {} : { attempts: mail.attempts + 1 }),
      },
    });
  }

  /** Gives leased mails back at once, without counting an attempt. */
  private async release(ids: readonly string[], reason?: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.mailOutbox.updateMany({
      where: { id: { in: [...ids] }, status: 'PENDING' },
      data: { lockedUntil: null, ...(reason ? { lastError: reason } : {}) },
    });
  }

  private async purgeIfDue(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    const before = new Date(now.getTime() - (this.settings.retentionMs ?? 7 * DAY_MS));
    let purged = 0;
    let deleted: number;
    do {
      deleted = await this.db.$executeRaw`
        DELETE FROM mail_outbox WHERE id IN (
          SELECT id FROM mail_outbox WHERE status <> 'PENDING' AND finished_at < ${before}::timestamptz LIMIT ${PURGE_BATCH})`;
      purged += deleted;
    } while (deleted === PURGE_BATCH && !this.stopping);
    if (purged > 0) this.log.info({ purged }, 'purged finished mails past retention');
  }
}
