import { randomBytes } from 'node:crypto';
import { connectRabbit, type Rabbit, type RabbitOptions } from '@radiata/rabbitmq';
import {
  createTestDatabase,
  eventually,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  testLogger,
  testSqlPool,
} from '@radiata/testing';
import { type Channel as AdminChannel, connect as amqpConnect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type pg from 'pg';
import { Registry } from 'prom-client';
import {
  declareTopicExchange,
  enqueue,
  type OutboxEvent,
  type OutboxRelayOptions,
  outboxMigrationsDir,
  readOutboxMigration,
  type SqlExecutor,
  startOutboxRelay,
} from '../src/index.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const unique = (label: string) => `radiata.test.outbox.${label}.${randomBytes(4).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const counts = (values: readonly string[]) => {
  const byValue = new Map<string, number>();
  for (const value of values) byValue.set(value, (byValue.get(value) ?? 0) + 1);
  return byValue;
};

interface OutboxRowState {
  id: string;
  attempts: number;
  last_error: string | null;
  published_at: Date | null;
  created_at: Date;
}

describe('@radiata/outbox', () => {
  let admin: ChannelModel;
  let adminChannel: AdminChannel;
  let db: TestDatabase;
  let pool: pg.Pool;
  // Undone after each test, last registered first.
  let cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    admin = await amqpConnect(RABBITMQ_URL);
    adminChannel = await admin.createChannel();
  });

  afterAll(async () => {
    await admin.close();
  });

  beforeEach(async () => {
    db = await createTestDatabase('outbox', outboxMigrationsDir);
    pool = testSqlPool(db.url, 4);
    cleanups = [() => db.drop(), () => pool.end()];
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const openRabbit = async (overrides: Partial<RabbitOptions> = {}) => {
    const rabbit = await connectRabbit({
      url: RABBITMQ_URL,
      name: unique('relay'),
      logger: testLogger('outbox-test'),
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      ...overrides,
    });
    cleanups.push(() => rabbit.close());
    return rabbit;
  };

  /** A durable topic exchange and a queue bound to all of it, with everything it receives. */
  const route = async () => {
    const exchange = unique('events');
    const queue = unique('queue');
    await adminChannel.assertExchange(exchange, 'topic', { durable: true });
    await adminChannel.assertQueue(queue, { durable: true });
    await adminChannel.bindQueue(queue, exchange, '#');
    const received: ConsumeMessage[] = [];
    const { consumerTag } = await adminChannel.consume(queue, (message) => message && received.push(message), {
      noAck: true,
    });
    cleanups.push(async () => {
      await adminChannel.cancel(consumerTag);
      await adminChannel.deleteQueue(queue);
      await adminChannel.deleteExchange(exchange);
    });
    return { exchange, queue, received, ids: () => received.map((m) => m.properties.messageId as string) };
  };

  /** A Rabbit connected through a TCP proxy the test can cut. */
  const rabbitBehindProxy = async (publishTimeoutMs: number) => {
    const proxy: TcpProxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(RABBITMQ_URL).port) });
    cleanups.push(() => proxy.stop());
    const url = new URL(RABBITMQ_URL);
    url.port = String(proxy.port);
    const rabbit = await openRabbit({ url: url.toString(), publishTimeoutMs });
    // Cut before the Rabbit closes, so closing does not wait on a black-holed connection.
    cleanups.push(() => proxy.stop());
    return { proxy, rabbit };
  };

  const startRelay = async (options: Partial<OutboxRelayOptions> & { rabbit: Rabbit }) => {
    const relay = await startOutboxRelay({ databaseUrl: db.url, logger: testLogger('outbox-test'), ...options });
    cleanups.push(() => relay.stop());
    return relay;
  };

  const inTransaction = async <T>(work: (execute: SqlExecutor, client: pg.PoolClient) => Promise<T>, commit = true) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work((sql, values) => client.query(sql, values), client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return result;
    } finally {
      client.release();
    }
  };

  const commit = (events: readonly OutboxEvent[]) => inTransaction((execute) => enqueue(execute, events));

  const events = (exchange: string, n: number, label = 'n'): OutboxEvent[] =>
    Array.from({ length: n }, (_, i) => ({ exchange, routingKey: 'thing.happened', payload: { [label]: i } }));

  const rows = async (ids: readonly string[]) =>
    (
      await pool.query<OutboxRowState>(
        'SELECT id, attempts, last_error, published_at, created_at FROM outbox_messages WHERE id = ANY($1::uuid[]) ORDER BY created_at, id',
        [ids],
      )
    ).rows;

  const allPublished = async (ids: readonly string[]) =>
    (await rows(ids)).every((row) => row.published_at !== null) && (await rows(ids)).length === ids.length;

  it('enqueues many events with one INSERT, UUIDv7 ids unless given, and validates them', async () => {
    const statements: string[] = [];
    const given = '0190a5b4-3c1e-7cc0-9b5e-4f7d3d2a1b00';
    const ids = await inTransaction((execute) =>
      enqueue(
        (sql, values) => {
          statements.push(sql);
          return execute(sql, values);
        },
        [
          { exchange: 'x', routingKey: 'a', payload: { n: 1 } },
          { exchange: 'x', routingKey: 'b', payload: [1, 2], headers: { h: 'v' } },
          { exchange: 'y', routingKey: 'c', payload: {}, messageId: given },
        ],
      ),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^INSERT INTO outbox_messages/);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toMatch(UUID_V7);
    expect(ids[1]).toMatch(UUID_V7);
    expect(ids[2]).toBe(given);
    const stored = await pool.query(
      'SELECT id, exchange, routing_key, payload, headers, attempts, published_at FROM outbox_messages ORDER BY routing_key',
    );
    expect(stored.rows).toEqual([
      { id: ids[0], exchange: 'x', routing_key: 'a', payload: { n: 1 }, headers: {}, attempts: 0, published_at: null },
      {
        id: ids[1],
        exchange: 'x',
        routing_key: 'b',
        payload: [1, 2],
        headers: { h: 'v' },
        attempts: 0,
        published_at: null,
      },
      { id: given, exchange: 'y', routing_key: 'c', payload: {}, headers: {}, attempts: 0, published_at: null },
    ]);

    await expect(enqueue(async () => undefined, [])).resolves.toEqual([]);
    await expect(
      enqueue(async () => undefined, [{ exchange: 'x', routingKey: 'a', payload: {}, messageId: 'not-a-uuid' }]),
    ).rejects.toThrow(/UUID/);
    await expect(
      enqueue(async () => undefined, [{ exchange: 'x', routingKey: 'a', payload: null as unknown as object }]),
    ).rejects.toThrow(/payload/);

    // The migration a subgraph copies is the one this database was built from.
    expect(readOutboxMigration().up).toContain('CREATE TABLE outbox_messages');
    expect(readOutboxMigration().down).toContain('DROP TABLE outbox_messages');
  });

  it('publishes a committed event exactly once with its id, persistent JSON and headers; a rolled-back one never', async () => {
    const rabbit = await openRabbit();
    const { exchange, received } = await route();
    await declareTopicExchange(rabbit, exchange);
    const registry = new Registry();
    const relay = await startRelay({ rabbit, registry });
    await pool.query('CREATE TABLE widgets (id int PRIMARY KEY)');

    const event = (n: number): OutboxEvent => ({
      exchange,
      routingKey: 'widget.created',
      payload: { widgetId: n, name: 'ünïcode', tags: ['a', 'b'], nested: { ok: true } },
      headers: { 'x-request-id': `r-${n}` },
    });
    const rolledBack = await inTransaction(async (execute, client) => {
      await client.query('INSERT INTO widgets VALUES (1)');
      return enqueue(execute, [event(1)]);
    }, false);
    const [id] = await inTransaction(async (execute, client) => {
      await client.query('INSERT INTO widgets VALUES (2)');
      return enqueue(execute, [event(2)]);
    });

    await eventually(() => received.length >= 1);
    await sleep(300);
    expect(received).toHaveLength(1);
    const [message] = received as [ConsumeMessage];
    expect(message.properties.messageId).toBe(id);
    expect(message.properties.deliveryMode).toBe(2);
    expect(message.properties.contentType).toBe('application/json');
    expect(message.properties.headers).toMatchObject({ 'x-request-id': 'r-2' });
    expect(message.fields.routingKey).toBe('widget.created');
    expect(JSON.parse(message.content.toString('utf8'))).toEqual(event(2).payload);

    expect(rolledBack).toHaveLength(1);
    expect(await rows(rolledBack)).toEqual([]);
    const [row] = await rows([id as string]);
    expect(row).toMatchObject({ id, attempts: 0, last_error: null });
    expect(row?.published_at).toBeInstanceOf(Date);
    expect(message.properties.timestamp).toBe(Math.floor((row as OutboxRowState).created_at.getTime() / 1000));
    expect((await pool.query('SELECT id FROM widgets')).rows).toEqual([{ id: 2 }]);
    expect((await pool.query('SELECT count(*)::int AS n FROM outbox_messages')).rows).toEqual([{ n: 1 }]);
    await expect(relay.pending()).resolves.toBe(0);

    const metrics = await registry.metrics();
    expect(metrics).toContain(`outbox_published_total{exchange="${exchange}"} 1`);
    expect(metrics).toContain('outbox_pending 0');
  });

  it('keeps what commits while RabbitMQ is unreachable and delivers each event exactly once when it is back', async () => {
    const { proxy, rabbit } = await rabbitBehindProxy(300);
    const { exchange, ids } = await route();
    const registry = new Registry();
    const relay = await startRelay({ rabbit, registry, retry: { initialDelayMs: 100, maxDelayMs: 400 } });

    const before = await commit(events(exchange, 2, 'before'));
    await eventually(() => ids().length === 2);

    // A partition: the connection looks alive, publishes are never confirmed.
    proxy.blackhole();
    const partitioned = await commit(events(exchange, 3, 'partitioned'));
    await eventually(async () => (await rows(partitioned)).every((row) => row.attempts >= 1));
    for (const row of await rows(partitioned)) {
      expect(row.published_at).toBeNull();
      expect(row.last_error).toMatch(/no confirm from the broker/);
    }
    expect(await registry.metrics()).toMatch(/outbox_publish_failures_total\{reason="timeout"\} [1-9]/);

    // The broker goes away altogether: the relay waits for it without touching the rows.
    await proxy.stop();
    await eventually(() =>
      rabbit.readiness().then(
        () => false,
        () => true,
      ),
    );
    const whileDown = await commit(events(exchange, 4, 'down'));
    await sleep(500);
    for (const row of await rows(whileDown)) expect(row).toMatchObject({ published_at: null, attempts: 0 });
    await expect(relay.pending()).resolves.toBe(7);
    expect(await registry.metrics()).toContain('outbox_pending 7');

    await proxy.start();
    const all = [...before, ...partitioned, ...whileDown];
    await eventually(() => new Set(ids()).size === all.length);
    await sleep(500);
    expect([...counts(ids()).entries()].sort()).toEqual(all.map((id) => [id, 1]).sort());
    expect(await allPublished(all)).toBe(true);
    await expect(relay.pending()).resolves.toBe(0);
  }, 30_000);

  it('shares 500 pending rows between two relays: every message delivered exactly once', async () => {
    const { exchange, ids } = await route();
    const committed = await commit(events(exchange, 500));
    const registries = [new Registry(), new Registry()];
    const [rabbitA, rabbitB] = await Promise.all([openRabbit(), openRabbit()]);
    await Promise.all([
      startRelay({ rabbit: rabbitA as Rabbit, batchSize: 20, registry: registries[0] }),
      startRelay({ rabbit: rabbitB as Rabbit, batchSize: 20, registry: registries[1] }),
    ]);

    await eventually(() => ids().length >= 500);
    await sleep(500);
    expect(ids()).toHaveLength(500);
    expect(new Set(ids())).toEqual(new Set(committed));
    expect(await allPublished(committed)).toBe(true);

    // Both took part: the rows were shared, not published twice or by one relay alone.
    const publishedBy = await Promise.all(
      registries.map(async (registry) => {
        const metric = await registry.getSingleMetricAsString('outbox_published_total');
        return Number(/\} (\d+)$/m.exec(metric)?.[1] ?? 0);
      }),
    );
    expect(publishedBy[0]).toBeGreaterThan(0);
    expect(publishedBy[1]).toBeGreaterThan(0);
    expect((publishedBy[0] as number) + (publishedBy[1] as number)).toBe(500);
  }, 30_000);

  it('publishes again with the same messageId when the mark is lost after the confirm', async () => {
    const rabbit = await openRabbit();
    const { exchange, received } = await route();
    // The first attempt to mark anything published fails, as if the process died between the
    // broker's confirm and the commit: that transaction rolls back after the message went out.
    await pool.query(`
      CREATE SEQUENCE lost_marks;
      CREATE FUNCTION lose_first_mark() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('lost_marks') = 1 THEN RAISE EXCEPTION 'test: died before marking'; END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER lose_first_mark BEFORE UPDATE ON outbox_messages
        FOR EACH STATEMENT EXECUTE FUNCTION lose_first_mark();
    `);
    await startRelay({ rabbit, retry: { initialDelayMs: 50, maxDelayMs: 100 } });

    const [id] = await commit([{ exchange, routingKey: 'order.placed', payload: { orderId: 'o-1' } }]);

    await eventually(() => received.length >= 2);
    await eventually(() => allPublished([id as string]));
    await sleep(300);
    expect(received.map((m) => m.properties.messageId)).toEqual([id, id]);
    expect(received.map((m) => JSON.parse(m.content.toString()))).toEqual([{ orderId: 'o-1' }, { orderId: 'o-1' }]);
    expect((await pool.query('SELECT last_value::int AS v FROM lost_marks')).rows).toEqual([{ v: 2 }]);
  });

  it('stop() lets the batch in flight finish, releases its connections and is idempotent', async () => {
    // Long enough that the batch is still waiting for its confirms when stop() comes, even on a
    // machine loaded by other suites.
    const { proxy, rabbit } = await rabbitBehindProxy(3_000);
    const { exchange } = await route();
    const relay = await startRelay({ rabbit });
    const relayConnections = () =>
      pool
        .query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'radiata-outbox-relay'",
          [db.name],
        )
        .then((result) => result.rows[0]?.n);
    expect(await relayConnections()).toBeGreaterThan(0);

    proxy.blackhole();
    const ids = await commit(events(exchange, 5));
    // In flight: the relay holds its rows locked and waits for the confirms.
    await eventually(async () => {
      const waiting = await pool.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction' AND query LIKE '%SKIP LOCKED%'",
        [db.name],
      );
      return waiting.rowCount === 1;
    });

    const stopping = relay.stop();
    expect(relay.stop()).toBe(stopping);
    await stopping;
    // Finished, not abandoned, by the time stop() resolves: every row of the batch recorded its
    // failed attempt (an abandoned batch would have rolled back, leaving attempts at 0). No
    // assertion on how long stop() took: on a loaded machine the poll above may see the batch
    // only just before its confirm timeout.
    for (const row of await rows(ids)) expect(row).toMatchObject({ attempts: 1, published_at: null });
    await expect(relay.drain()).rejects.toThrow(/stopped/);
    await eventually(async () => (await relayConnections()) === 0);
  });

  it('wakes on NOTIFY at commit, also after its listening connection was killed', async () => {
    const rabbit = await openRabbit();
    const { exchange, ids } = await route();
    // A poll is ten minutes away: only NOTIFY can deliver within the waits below.
    await startRelay({ rabbit, pollIntervalMs: 600_000 });
    await sleep(300);

    const [first] = await commit(events(exchange, 1));
    await eventually(() => ids().includes(first as string));

    const listeners = () =>
      pool
        .query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query = 'LISTEN outbox_messages'",
          [db.name],
        )
        .then((result) => result.rows.map((row) => row.pid));
    const [killed] = await listeners();
    expect(killed).toBeDefined();
    await pool.query('SELECT pg_terminate_backend($1)', [killed]);
    await eventually(async () => {
      const now = await listeners();
      return now.length === 1 && now[0] !== killed;
    });

    const [second] = await commit(events(exchange, 1));
    await eventually(() => ids().includes(second as string));
    expect(ids()).toEqual([first, second]);
  });

  it('survives losing its database and publishes what committed meanwhile once it is back', async () => {
    const rabbit = await openRabbit();
    const { exchange, ids } = await route();
    const databaseUrl = new URL(db.url);
    const proxy = await startTcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port) });
    cleanups.push(() => proxy.stop());
    databaseUrl.port = String(proxy.port);
    await startRelay({
      rabbit,
      databaseUrl: databaseUrl.toString(),
      pollIntervalMs: 200,
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const [first] = await commit(events(exchange, 1));
    await eventually(() => ids().includes(first as string));
    // Marked published too: cut before that, the row would rightly be published again (at least once).
    await eventually(() => allPublished([first as string]));

    // Every connection of the relay (listener, pooled, in a batch or not) dies at once.
    await proxy.stop();
    const meanwhile = await commit(events(exchange, 3));
    await sleep(600);
    expect(ids()).toEqual([first]);

    await proxy.start();
    await eventually(() => ids().length >= 4);
    await sleep(300);
    expect(ids()).toEqual([first, ...meanwhile]);
    expect(await allPublished(meanwhile)).toBe(true);
  });

  it('drain() publishes everything due and resolves with the count', async () => {
    const rabbit = await openRabbit();
    const { exchange, ids } = await route();
    const relay = await startRelay({ rabbit, pollIntervalMs: 60_000, batchSize: 100 });
    const committed = await inTransaction(async (execute, client) => {
      const created = await enqueue(execute, events(exchange, 250));
      await client.query("UPDATE outbox_messages SET available_at = now() + interval '1 hour'");
      return created;
    });
    await sleep(300);
    expect(ids()).toHaveLength(0);

    await pool.query('UPDATE outbox_messages SET available_at = now()');
    await expect(relay.drain()).resolves.toBe(250);
    await expect(relay.pending()).resolves.toBe(0);
    await eventually(() => ids().length >= 250);
    expect(new Set(ids())).toEqual(new Set(committed));
    await expect(relay.drain()).resolves.toBe(0);
  });

  it('purges published rows past the retention and never a pending one', async () => {
    const rabbit = await openRabbit();
    const { exchange } = await route();
    const seed = (n: number, published: string | null, available = 'now()') =>
      pool.query(
        `INSERT INTO outbox_messages (id, exchange, routing_key, payload, created_at, available_at, published_at)
         SELECT gen_random_uuid(), $1, 'old.stuff', '{}', now() - interval '30 days', ${available}, ${published ?? 'NULL'}
           FROM generate_series(1, $2)`,
        [exchange, n],
      );
    await seed(1_500, "now() - interval '2 hours'"); // more than one purge batch
    await seed(2, "now() - interval '10 minutes'");
    await seed(3, null, "now() + interval '1 day'"); // pending, waiting for a retry

    await startRelay({ rabbit, retentionMs: 3_600_000, purgeIntervalMs: 100 });

    const left = () =>
      pool
        .query<{ published: boolean; n: number }>(
          'SELECT published_at IS NOT NULL AS published, count(*)::int AS n FROM outbox_messages GROUP BY 1 ORDER BY 1',
        )
        .then((result) => result.rows);
    await eventually(async () => (await left()).find((row) => row.published)?.n === 2);
    await sleep(300);
    expect(await left()).toEqual([
      { published: false, n: 3 },
      { published: true, n: 2 },
    ]);
  });
});
