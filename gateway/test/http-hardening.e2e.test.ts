import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { metricLabelValues } from '@radiata/testing';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  // The landing page is on (as in `npm run dev`), so its CSP is tested too.
  graph = await startTestGraph({ SANDBOX: 'true' });
});
afterAll(() => graph.stop());

const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const OPERATION_COUNT = 'graphql_operation_duration_seconds_count';

describe('metrics', () => {
  it('bound the operation label by the schema, whatever operation names clients send', async () => {
    for (let i = 0; i < 50; i++) {
      const response = await post({ query: `query Card${randomBytes(8).toString('hex')} { me { id } }` });
      expect(response.status).toBe(200);
    }
    const gateway = await (await fetch(graph.gateway.metricsUrl)).text();
    expect(metricLabelValues(gateway, OPERATION_COUNT, 'operation')).toEqual(['query.me']);
    expect(gateway).not.toMatch(/Card[0-9a-f]{16}/);

    // The gateway names the operations it sends on after the client's: subgraphs label them by field too.
    const users = await (await fetch(graph.users.subgraph.metricsUrl)).text();
    expect(metricLabelValues(users, OPERATION_COUNT, 'operation')).toEqual(['query.me']);
    expect(users).not.toMatch(/Card[0-9a-f]{16}/);
  });

  it('are served on a port of their own: the client port answers /metrics with 404', async () => {
    for (const running of [graph.gateway, graph.users.subgraph]) {
      expect(new URL(running.metricsUrl).port).not.toBe(String(running.port));
      const scraped = await fetch(running.metricsUrl);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('graphql_operation_duration_seconds_bucket');

      const onClientPort = await fetch(new URL('/metrics', running.url));
      expect(onClientPort.status).toBe(404);
      expect(await onClientPort.text()).not.toContain('graphql_operation_duration_seconds');
    }
  });

  it('and everything else on 127.0.0.1 unless HOST says otherwise', () => {
    for (const running of [graph.gateway, graph.users.subgraph]) {
      expect((running.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
      expect(new URL(running.metricsUrl).hostname).toBe('127.0.0.1');
    }
  });
});

describe("the client's mistakes are HTTP 400, not 500", () => {
  const TWO_OPERATIONS = 'query A { me { id } } query B { categories { id } }';

  it('a document with several operations and no operationName', async () => {
    const response = await post({ query: TWO_OPERATIONS });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The document has several operations: name the one to run in operationName',
          extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
        },
      ],
    });
  });

  it('an operationName the document does not have', async () => {
    const response = await post({ query: TWO_OPERATIONS, operationName: 'C<script>' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The document has no operation named as operationName',
          extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
        },
      ],
    });
    const chosen = await post({ query: TWO_OPERATIONS, operationName: 'A' });
    expect(chosen.status).toBe(200);
    expect(await chosen.json()).toEqual({ data: { me: null } });
  });

  it('a subscription over HTTP POST', async () => {
    const response = await post({ query: 'subscription { couponClaimResult(claimId: "x") { __typename } }' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'Subscriptions are served over WebSocket (graphql-ws) on this same URL, not over HTTP',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  });
});

describe('request ids', () => {
  it("are always the gateway's own, never the client's", async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids: string[] = [];
    for (const clientId of ['checkout-123', 'checkout-123', 'bad id <script>', undefined]) {
      const response = await post({ query: '{ me { id } }' }, clientId ? { 'x-request-id': clientId } : {});
      expect(response.status).toBe(200);
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(uuid);
      ids.push(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('security headers', () => {
  const expectHardened = (response: Response) => {
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('strict-transport-security')).toBeNull();
  };

  it('are on every response of the gateway and the subgraphs, with a CSP that lets nothing load', async () => {
    const responses = [
      await post({ query: '{ me { id } }' }),
      await post({ query: '{ me { id ' }),
      await fetch(new URL('/healthz', graph.gateway.url)),
      await fetch(new URL('/nothing-here', graph.gateway.url)),
      await fetch(graph.gateway.metricsUrl),
      await fetch(graph.users.subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ me { id } }"}',
      }),
      await fetch(new URL('/readyz', graph.users.subgraph.url)),
      await fetch(graph.users.subgraph.metricsUrl),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 400, 200, 404, 200, 401, 200, 200]);
    for (const response of responses) {
      expectHardened(response);
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    }
  });

  it("leave Apollo Sandbox's landing page its own CSP, which allows the sandbox's scripts", async () => {
    const page = await fetch(graph.gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expectHardened(page);
    // A header CSP applies on top of the page's <meta> one: it must not restrict what the page loads.
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    const html = await page.text();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const nonce = /'nonce-([0-9a-f]+)'/.exec(meta)?.[1];
    expect(meta).toMatch(/script-src [^;]*https:\/\/embeddable-sandbox\.cdn\.apollographql\.com/);
    expect(meta).toMatch(/frame-src [^;]*https:\/\/sandbox\.embed\.apollographql\.com/);
    expect(html).toContain(`<script nonce="${nonce}" src="https://embeddable-sandbox.cdn.apollographql.com/`);
  });
});
