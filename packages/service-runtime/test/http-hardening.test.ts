import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { env } from '@radiata/config';
import { createMetrics } from '@radiata/observability';
import { metricLabelValues, signedContextHeaders, testLogger, testSecrets } from '@radiata/testing';
import { parse } from 'graphql';
import { Arg, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import {
  createHttpApp,
  defineSubgraph,
  listen,
  operationLabel,
  type RunningSubgraph,
  serveMetrics,
} from '../src/index.js';

const secrets = testSecrets();
const config = z.object({
  NODE_ENV: env.nodeEnv,
  LOG_LEVEL: env.logLevel,
  HOST: env.host,
  PORT: env.port(0),
  METRICS_PORT: env.port(0),
  GATEWAY_CONTEXT_SECRET: env.secret,
});

@ObjectType({ description: 'A card.' })
class Card {
  @Field(() => ID, { description: 'Its id.' })
  id!: string;
}

@Resolver(() => Card)
class CardResolver {
  @Query(() => Card, { description: 'A card by id.' })
  card(@Arg('id', () => ID, { description: 'Its id.' }) id: string): Card {
    return { id };
  }

  @Mutation(() => Card, { description: 'Draws a card.' })
  drawCard(): Card {
    return { id: 'drawn' };
  }
}

const cardsSubgraph = defineSubgraph({
  name: 'cards',
  config,
  schema: { resolvers: [CardResolver] },
  async start() {
    return { createContext: (request) => request };
  },
});

const OPERATION_COUNT = 'graphql_operation_duration_seconds_count';

describe('a subgraph served by defineSubgraph', () => {
  let running: RunningSubgraph;
  let headers: Record<string, string>;
  beforeAll(async () => {
    running = await cardsSubgraph.start({
      env: { GATEWAY_CONTEXT_SECRET: secrets.GATEWAY_CONTEXT_SECRET, NODE_ENV: 'test' },
      logger: testLogger('cards'),
    });
    headers = {
      'content-type': 'application/json',
      ...(await signedContextHeaders(null, secrets.GATEWAY_CONTEXT_SECRET)),
    };
  });
  afterAll(() => running.stop());

  const post = (body: Record<string, unknown>) =>
    fetch(running.url, { method: 'POST', headers, body: JSON.stringify(body) });

  it('listens on 127.0.0.1 by default, for clients and for Prometheus', () => {
    expect((running.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(new URL(running.metricsUrl).hostname).toBe('127.0.0.1');
  });

  it('serves metrics on their own port, and never on the client port', async () => {
    expect(new URL(running.metricsUrl).port).not.toBe(String(running.port));
    const scraped = await fetch(running.metricsUrl);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('# TYPE graphql_operation_duration_seconds histogram');

    const onClientPort = await fetch(new URL('/metrics', running.url));
    expect(onClientPort.status).toBe(404);
    expect(await onClientPort.text()).not.toContain('graphql_operation_duration_seconds');
  });

  it("labels operations by type and first root field, never by the client's operation name", async () => {
    for (let i = 0; i < 30; i++) {
      const name = `Card${randomBytes(6).toString('hex')}`;
      const answer = await post({ query: `query ${name} { card(id: "${i}") { id } }` });
      expect(answer.status).toBe(200);
    }
    await post({ query: 'query Aliased { mine: card(id: "1") { id } }' });
    await post({ query: 'query Spread { ...Root } fragment Root on Query { card(id: "1") { id } }' });
    await post({ query: `mutation Draw${randomBytes(6).toString('hex')} { drawCard { id } }` });
    const invalid = await post({ query: `query Bad${randomBytes(6).toString('hex')} { nope }` });
    expect(invalid.status).toBe(400);

    const scraped = await (await fetch(running.metricsUrl)).text();
    expect(metricLabelValues(scraped, OPERATION_COUNT, 'operation')).toEqual([
      'mutation.drawCard',
      'query.card',
      'unresolved',
    ]);
    expect(scraped).not.toMatch(/Card[0-9a-f]{12}|Draw|Bad|Aliased|Spread/);
  });
});

describe('operationLabel', () => {
  const label = (source: string, name?: string) => {
    const document = parse(source);
    const operations = document.definitions.filter((definition) => definition.kind === 'OperationDefinition');
    const operation = operations.find((definition) => !name || definition.name?.value === name);
    return operationLabel(operation, document);
  };

  it('is the operation type and its first root field, in document order', () => {
    expect(label('query Anything { products { id } me { id } }')).toBe('query.products');
    expect(label('{ alias: me { id } }')).toBe('query.me');
    expect(label('mutation M { claimCoupon(id: 1) { ok } }')).toBe('mutation.claimCoupon');
    expect(label('subscription { couponClaimResult { ok } }')).toBe('subscription.couponClaimResult');
    expect(label('query { ... on Query { me { id } } }')).toBe('query.me');
    expect(label('query { ...A } fragment A on Query { ...B } fragment B on Query { me { id } }')).toBe('query.me');
  });

  it('is "unresolved" without an operation', () => {
    expect(operationLabel(undefined)).toBe('unresolved');
  });
});

describe('security headers', () => {
  const serve = async (hsts?: boolean) => {
    const { app, finish } = createHttpApp({ readiness: {}, ...(hsts === undefined ? {} : { hsts }) });
    app.post('/graphql', (_req, res) => {
      res.json({ data: {} });
    });
    finish(app);
    const server = createServer(app);
    const { url } = await listen(server, 0);
    return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  };

  const expectHardened = (response: Response) => {
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  };

  it('are on every response of the client port: answers, health, 404s and refused bodies; no HSTS by default', async () => {
    const server = await serve();
    try {
      const responses = await Promise.all([
        fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
        fetch(`${server.url}/healthz`),
        fetch(`${server.url}/readyz`),
        fetch(`${server.url}/nothing-here`),
        fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 404, 400]);
      for (const response of responses) {
        expectHardened(response);
        expect(response.headers.get('strict-transport-security')).toBeNull();
      }
    } finally {
      await server.close();
    }
  });

  it('add HSTS when served behind TLS', async () => {
    const server = await serve(true);
    try {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await server.close();
    }
  });

  it('are on the metrics port too', async () => {
    const metrics = await serveMetrics(createMetrics('headers'), { port: 0 });
    try {
      const scraped = await fetch(metrics.url);
      expect(scraped.status).toBe(200);
      expectHardened(scraped);
      const elsewhere = await fetch(new URL('/healthz', metrics.url));
      expect(elsewhere.status).toBe(404);
      expectHardened(elsewhere);
    } finally {
      await metrics.close();
    }
  });
});
