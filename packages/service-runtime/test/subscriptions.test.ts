import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { GATEWAY_CONTEXT_HEADER, signGatewayContext, type Viewer } from '@radiata/auth-context';
import { forbidden } from '@radiata/errors';
import { createMetrics } from '@radiata/observability';
import { closeRedis, createRedis, type Redis } from '@radiata/redis';
import { capturingLogger, eventually, graphql, signedContextHeaders, testLogger, testSecrets } from '@radiata/testing';
import type { DocumentNode } from 'graphql';
import { parse } from 'graphql';
import { type Client, createClient, type FormattedExecutionResult } from 'graphql-ws';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { eventStream, RedisFanout, type RequestContext, requireViewer } from '../src/index.js';
import { type ServedSubgraph, type ServeOptions, serveSubgraph } from '../src/serve-subgraph.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const secrets = testSecrets();
const SECRET = secrets.GATEWAY_CONTEXT_SECRET;
const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

type RunningSubgraph = ServedSubgraph;

/** Serves a schema-first test subgraph (the serving layer is the same for type-graphql ones). */
const startSubgraph = <TContext extends RequestContext>(
  options: Omit<ServeOptions<TContext>, 'schema' | 'metrics'> & { typeDefs: DocumentNode; resolvers: object },
): Promise<ServedSubgraph> => {
  const { typeDefs, resolvers, ...rest } = options;
  return serveSubgraph({
    ...rest,
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }),
    metrics: createMetrics(options.name),
  });
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TestContext extends RequestContext {
  readonly serial: number;
}

/** `ticks` and friends: a subgraph whose streams are in-process. */
function clockSubgraph() {
  const finallies: string[] = [];
  const eventContexts: TestContext[] = [];
  let serial = 0;
  const typeDefs = parse(`${FEDERATION}
    type Query { now: String }
    type Subscription {
      ticks(n: Int!): Int!
      whoami: String!
      idle: Int!
      failing(kind: String!): Int!
    }`);
  const resolvers = {
    Query: { now: () => 'now' },
    Subscription: {
      ticks: {
        subscribe: async function* (_: unknown, { n }: { n: number }) {
          try {
            for (let i = 1; i <= n; i++) {
              yield i;
              await sleep(5);
            }
          } finally {
            finallies.push('ticks');
          }
        },
        resolve: (tick: number, _args: unknown, context: TestContext) => {
          eventContexts.push(context);
          return tick;
        },
      },
      whoami: {
        subscribe: (_: unknown, __: unknown, context: TestContext) =>
          eventStream<string>((push) => {
            push(context.viewer ? `${context.viewer.id}:${context.viewer.role}:${context.requestId}` : 'anonymous');
            return () => finallies.push('whoami');
          }),
        resolve: (event: string) => event,
      },
      idle: {
        subscribe: () => eventStream<number>(() => () => finallies.push('idle')),
        resolve: (event: number) => event,
      },
      failing: {
        // Not a generator itself: a generator's body (and its throws) would only run on next().
        subscribe: (_: unknown, { kind }: { kind: string }, context: TestContext) => {
          if (kind === 'public') requireViewer(context.viewer);
          if (kind === 'forbidden') throw forbidden('Only the claimer may follow this claim');
          if (kind === 'subscribe') throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
          return (async function* () {
            yield 1;
            if (kind === 'stream') throw new Error('redis: READONLY replica at 10.0.0.8');
            yield 2;
          })();
        },
        resolve: (event: number, { kind }: { kind: string }) => {
          if (kind === 'resolve') throw new TypeError("Cannot read properties of undefined (reading 'price')");
          return event;
        },
      },
    },
  };
  return {
    finallies,
    eventContexts,
    typeDefs,
    resolvers,
    createContext: (request: RequestContext): TestContext => {
      serial += 1;
      return { ...request, serial };
    },
  };
}

/** `messages(channel)`: a subgraph streaming from Redis pub/sub through RedisFanout. */
function chatSubgraph(fanout: RedisFanout) {
  const finallies: string[] = [];
  const typeDefs = parse(`${FEDERATION}
    type Query { hello: String }
    type Subscription { messages(channel: String!): String! }`);
  const resolvers = {
    Query: { hello: () => 'hello' },
    Subscription: {
      messages: {
        subscribe: (_: unknown, { channel }: { channel: string }) =>
          eventStream<string>((push) => {
            const unlisten = fanout.listen<{ text: string }>(channel, (message) => push(message.text));
            return () => {
              unlisten();
              finallies.push(channel);
            };
          }),
        resolve: (text: string) => text,
      },
    },
  };
  return { finallies, typeDefs, resolvers };
}

interface Connection {
  readonly client: Client;
  readonly closes: { code: number; reason: string }[];
}

function connect(url: string, connectionParams?: Record<string, unknown>): Connection {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...(connectionParams ? { connectionParams } : {}),
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason: String(reason) });
      },
    },
  });
  return { client, closes };
}

const signed = async (viewer: Viewer | null = null, requestId = 'req-1', secret = SECRET) => ({
  [GATEWAY_CONTEXT_HEADER]: await signGatewayContext({ viewer, requestId }, secret),
});

/** A context with the gateway's claims but the expiry chosen by the test. */
async function contextExpiringIn(seconds: number): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const jws = await new SignJWT({ rid: 'req-expiry' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('radiata-gateway')
    .setAudience('radiata-subgraphs')
    .setIssuedAt(now - 120)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(SECRET));
  return { [GATEWAY_CONTEXT_HEADER]: jws };
}

/** Collects a whole subscription: every `next` payload, then completion or the error. */
function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: FormattedExecutionResult[] = [];
  let unsubscribe = () => {};
  const done = new Promise<{ error?: unknown }>((resolve) => {
    unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (result) => results.push(result as FormattedExecutionResult),
        error: (error) => resolve({ error }),
        complete: () => resolve({}),
      },
    );
  });
  return { results, done, unsubscribe: () => unsubscribe() };
}

const activeGauge = async (subgraph: RunningSubgraph, operation: string): Promise<number> => {
  const metric = await subgraph.metrics.registry.getSingleMetric('graphql_subscriptions_active')?.get();
  return metric?.values.find((v) => v.labels.operation === operation)?.value ?? 0;
};

describe('subgraph subscriptions over graphql-ws', () => {
  const clock = clockSubgraph();
  const captured = capturingLogger('debug');
  let clockServer: RunningSubgraph;
  let fanout: RedisFanout;
  let chat: ReturnType<typeof chatSubgraph>;
  let chatServer: RunningSubgraph;
  let observer: Redis;
  const clients: Client[] = [];

  const open = (url: string, params?: Record<string, unknown>) => {
    const connection = connect(url, params);
    clients.push(connection.client);
    return connection;
  };

  beforeAll(async () => {
    clockServer = await startSubgraph({
      name: 'clock',
      typeDefs: clock.typeDefs,
      resolvers: clock.resolvers,
      contextSecret: SECRET,
      logger: captured.logger,
      port: 0,
      host: '127.0.0.1',
      createContext: clock.createContext,
      readiness: {},
    });
    fanout = new RedisFanout({ url: REDIS_URL, name: 'chat-test', logger: testLogger('chat') });
    chat = chatSubgraph(fanout);
    chatServer = await startSubgraph({
      name: 'chat',
      typeDefs: chat.typeDefs,
      resolvers: chat.resolvers,
      contextSecret: SECRET,
      logger: testLogger('chat'),
      port: 0,
      host: '127.0.0.1',
      createContext: (request) => request,
      readiness: { redis: () => fanout.readiness() },
      onStop: () => fanout.close(),
    });
    observer = createRedis({ url: REDIS_URL, name: 'subscriptions-test-observer', logger: testLogger('observer') });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  afterAll(async () => {
    await Promise.all([clockServer?.stop(), chatServer?.stop()]);
    await closeRedis(observer);
  });

  it('streams events to a client that brings the signed context', async () => {
    expect(clockServer.subscriptionsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const { client } = open(clockServer.subscriptionsUrl as string, await signed());
    const ticks = collect(client, 'subscription Ticks($n: Int!) { ticks(n: $n) }', { n: 3 });
    expect(await ticks.done).toEqual({});
    expect(ticks.results).toEqual([{ data: { ticks: 1 } }, { data: { ticks: 2 } }, { data: { ticks: 3 } }]);
    await eventually(() => clock.finallies.includes('ticks'));
  });

  it('executes every event with a fresh context from createContext (no stale DataLoaders)', async () => {
    clock.eventContexts.length = 0;
    const { client } = open(clockServer.subscriptionsUrl as string, await signed(null, 'req-fresh'));
    const ticks = collect(client, 'subscription { ticks(n: 3) }');
    await ticks.done;
    const serials = clock.eventContexts.map((context) => context.serial);
    expect(new Set(serials).size).toBe(3);
    expect(clock.eventContexts.every((context) => context.requestId === 'req-fresh')).toBe(true);
  });

  it('gives resolvers the viewer and request id of the signed context', async () => {
    const viewer: Viewer = { id: 'user-42', role: 'SELLER' };
    const { client } = open(clockServer.subscriptionsUrl as string, await signed(viewer, 'req-viewer'));
    const me = collect(client, 'subscription { whoami }');
    await eventually(() => me.results.length === 1);
    expect(me.results[0]).toEqual({ data: { whoami: 'user-42:SELLER:req-viewer' } });
    me.unsubscribe();
    await eventually(() => clock.finallies.includes('whoami'));

    const anonymous = open(clockServer.subscriptionsUrl as string, await signed(null));
    const nobody = collect(anonymous.client, 'subscription { whoami }');
    await eventually(() => nobody.results.length === 1);
    expect(nobody.results[0]).toEqual({ data: { whoami: 'anonymous' } });
  });

  describe('refuses connections that did not come through the gateway', () => {
    const expectRefused = async (params: Record<string, unknown> | undefined, code: number) => {
      const { client, closes } = open(clockServer.subscriptionsUrl as string, params);
      const ticks = collect(client, 'subscription { ticks(n: 1) }');
      const { error } = await ticks.done;
      expect((error as { code?: number }).code).toBe(code);
      expect(closes.map((c) => c.code)).toEqual([code]);
      expect(ticks.results).toEqual([]);
    };

    it('without a context: 4401 Unauthorized', async () => {
      await expectRefused(undefined, 4401);
      await expectRefused({ authorization: 'Bearer something' }, 4401);
    });

    it('with a forged context: 4403 Forbidden', async () => {
      await expectRefused(
        await signed({ id: 'admin', role: 'ADMIN' }, 'req', testSecrets().GATEWAY_CONTEXT_SECRET),
        4403,
      );
      await expectRefused({ [GATEWAY_CONTEXT_HEADER]: 'not-a-jws' }, 4403);
    });

    it('with an expired context: 4403 Forbidden (the same claims, unexpired, are accepted)', async () => {
      await expectRefused(await contextExpiringIn(-30), 4403);
      const { client } = open(clockServer.subscriptionsUrl as string, await contextExpiringIn(30));
      const ticks = collect(client, 'subscription { ticks(n: 1) }');
      expect(await ticks.done).toEqual({});
      expect(ticks.results).toEqual([{ data: { ticks: 1 } }]);
    });
  });

  describe('masks errors like HTTP does', () => {
    const run = async (kind: string) => {
      const { client } = open(clockServer.subscriptionsUrl as string, await signed());
      const failing = collect(client, 'subscription Failing($kind: String!) { failing(kind: $kind) }', { kind });
      const outcome = await failing.done;
      return { results: failing.results, error: outcome.error };
    };
    const internal = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

    it('an internal error thrown when subscribing', async () => {
      const { results } = await run('subscribe');
      expect(results).toEqual([{ errors: [{ ...internal, path: ['failing'] }] }]);
      expect(JSON.stringify(results)).not.toMatch(/ECONNREFUSED|hunter2|stack/);
      // the real cause stays in the logs
      expect(captured.lines.some((l) => JSON.stringify(l).includes('ECONNREFUSED'))).toBe(true);
    });

    it('an internal error thrown by the stream after an event', async () => {
      const { results, error } = await run('stream');
      expect(results).toEqual([{ data: { failing: 1 } }]);
      expect(error).toEqual([internal]);
      expect(JSON.stringify(error)).not.toMatch(/READONLY|10\.0\.0\.8|stack/);
    });

    it('an internal error thrown while resolving an event', async () => {
      const { results } = await run('resolve');
      expect(results[0]).toEqual({ data: null, errors: [{ ...internal, path: ['failing'] }] });
      expect(JSON.stringify(results)).not.toMatch(/price|TypeError|stack/);
    });

    it('public codes pass through with their message', async () => {
      const forbiddenResult = await run('forbidden');
      expect(forbiddenResult.results).toEqual([
        {
          errors: [
            {
              message: 'Only the claimer may follow this claim',
              locations: [{ line: 1, column: 40 }],
              path: ['failing'],
              extensions: { code: 'FORBIDDEN' },
            },
          ],
        },
      ]);
      const anonymous = await run('public');
      expect(anonymous.results[0]?.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    });

    it('bad documents and variables are public client errors, and queries stay on HTTP', async () => {
      const { client } = open(clockServer.subscriptionsUrl as string, await signed());
      const syntax = await collect(client, 'subscription {').done;
      expect((syntax.error as { extensions: unknown }[])[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
      const invalid = await collect(client, 'subscription { nope }').done;
      expect((invalid.error as { extensions: unknown }[])[0]?.extensions).toEqual({
        code: 'GRAPHQL_VALIDATION_FAILED',
      });
      const variables = await collect(client, 'subscription T($n: Int!) { ticks(n: $n) }', { n: 'x' }).done;
      expect((variables.error as { extensions: unknown }[])[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      const query = await collect(client, '{ now }').done;
      expect((query.error as { extensions: unknown }[])[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
    });
  });

  it('caps subscriptions per connection, counts them in graphql_subscriptions_active', async () => {
    const { client } = open(clockServer.subscriptionsUrl as string, await signed());
    const held = Array.from({ length: 20 }, () => collect(client, 'subscription { idle }'));
    await eventually(async () => (await activeGauge(clockServer, 'idle')) === 20);
    const extra = collect(client, 'subscription { idle }');
    const { error } = await extra.done;
    expect(error).toEqual([
      { message: 'Too many subscriptions on one connection (at most 20)', extensions: { code: 'BAD_REQUEST' } },
    ]);
    held[0]?.unsubscribe();
    await eventually(async () => (await activeGauge(clockServer, 'idle')) === 19);
    const again = collect(client, 'subscription { idle }');
    await eventually(async () => (await activeGauge(clockServer, 'idle')) === 20);
    for (const subscription of [...held, again]) subscription.unsubscribe();
    await eventually(async () => (await activeGauge(clockServer, 'idle')) === 0);
    const text = await clockServer.metrics.registry.metrics();
    expect(text).toContain('graphql_subscriptions_active{operation="idle",service="clock"} 0');
  });

  it('refuses messages over the payload cap (ws close 1009)', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined); // graphql-ws logs it
    try {
      const socket = new WebSocket(clockServer.subscriptionsUrl as string, 'graphql-transport-ws');
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(70 * 1024) } }));
      expect(await closed).toBe(1009);
    } finally {
      errors.mockRestore();
    }
  });

  it('streams Redis pub/sub through RedisFanout and unsubscribes Redis after the last client', async () => {
    const channel = `test:chat:${process.pid}:${randomBytes(4).toString('hex')}`;
    const numsub = async () => Number(((await observer.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1]);
    const query = 'subscription Messages($channel: String!) { messages(channel: $channel) }';
    const alice = collect(open(chatServer.subscriptionsUrl as string, await signed()).client, query, { channel });
    const bob = collect(open(chatServer.subscriptionsUrl as string, await signed()).client, query, { channel });
    await eventually(async () => (await activeGauge(chatServer, 'messages')) === 2);
    await eventually(async () => (await numsub()) === 1); // one Redis subscription for both

    await observer.publish(channel, JSON.stringify({ text: 'first' }));
    await observer.publish(channel, JSON.stringify({ text: 'second' }));
    await eventually(() => alice.results.length === 2 && bob.results.length === 2);
    expect(alice.results).toEqual([{ data: { messages: 'first' } }, { data: { messages: 'second' } }]);

    alice.unsubscribe();
    await eventually(() => chat.finallies.filter((c) => c === channel).length === 1);
    expect(await numsub()).toBe(1);
    bob.unsubscribe();
    await eventually(() => chat.finallies.filter((c) => c === channel).length === 2);
    await eventually(async () => (await numsub()) === 0);
    const channels = (await observer.call('PUBSUB', 'CHANNELS', channel)) as string[];
    expect(channels).toEqual([]);
    expect(await activeGauge(chatServer, 'messages')).toBe(0);
  });

  it('answers upgrades to other paths with 404, malformed targets included', async () => {
    const { port } = clockServer;
    for (const target of ['/other', 'http://[bad/graphql', '/graphqlx?x=1']) {
      const response = await new Promise<string>((resolve, reject) => {
        const socket = createConnection(port, '127.0.0.1', () => {
          socket.write(
            `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
              'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          );
        });
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(response.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    }
    const served = await graphql(clockServer.url, '{ now }', { headers: await signedContextHeaders(null, SECRET) });
    expect(served.status).toBe(200); // still up
  });

  it('keeps HTTP as it was: signed context required (401), then served', async () => {
    const refused = await graphql(clockServer.url, '{ now }');
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const served = await graphql(clockServer.url, '{ now }', { headers: await signedContextHeaders(null, SECRET) });
    expect(served.status).toBe(200);
    expect(served.data).toEqual({ now: 'now' });
  });
});

describe('stop()', () => {
  it('closes open subscriptions with 1001 Going away, ends their streams, then drains HTTP', async () => {
    const fanout = new RedisFanout({ url: REDIS_URL, name: 'chat-stop-test', logger: testLogger('chat') });
    const chat = chatSubgraph(fanout);
    const server = await startSubgraph({
      name: 'chat-stop',
      typeDefs: chat.typeDefs,
      resolvers: chat.resolvers,
      contextSecret: SECRET,
      logger: testLogger('chat'),
      port: 0,
      host: '127.0.0.1',
      createContext: (request) => request,
      readiness: {},
      onStop: () => fanout.close(),
    });
    const channel = `test:stop:${process.pid}:${randomBytes(4).toString('hex')}`;
    const connections = [
      connect(server.subscriptionsUrl as string, await signed()),
      connect(server.subscriptionsUrl as string, await signed()),
    ];
    const streams = connections.map(({ client }) =>
      collect(client, 'subscription M($channel: String!) { messages(channel: $channel) }', { channel }),
    );
    try {
      await eventually(async () => (await activeGauge(server, 'messages')) === 2);
      await server.stop();
      for (const { closes } of connections) expect(closes).toEqual([{ code: 1001, reason: 'Going away' }]);
      for (const stream of streams) expect((await stream.done).error).toMatchObject({ code: 1001 });
      expect(chat.finallies).toEqual([channel, channel]);
      expect(await activeGauge(server, 'messages')).toBe(0);
      expect(server.httpServer.listening).toBe(false);
      await expect(fanout.readiness()).rejects.toThrow(); // onStop ran
    } finally {
      await Promise.all(connections.map(({ client }) => client.dispose()));
      await server.stop();
    }
  });

  it('a schema without a Subscription type serves no WebSocket endpoint', async () => {
    const server = await startSubgraph({
      name: 'plain',
      typeDefs: parse(`${FEDERATION}\n type Query { hello: String }`),
      resolvers: { Query: { hello: () => 'hi' } },
      contextSecret: SECRET,
      logger: testLogger('plain'),
      port: 0,
      host: '127.0.0.1',
      createContext: (request) => request,
      readiness: {},
    });
    try {
      expect(server.subscriptionsUrl).toBeUndefined();
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const outcome = await new Promise<string>((resolve) => {
        socket.once('open', () => resolve('open'));
        socket.once('error', () => resolve('refused'));
      });
      socket.terminate();
      expect(outcome).toBe('refused');
    } finally {
      await server.stop();
    }
  });
});
