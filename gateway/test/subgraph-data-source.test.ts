import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GATEWAY_CONTEXT_HEADER, verifyGatewayContext } from '@radiata/auth-context';
import { Histogram, Registry } from 'prom-client';
import { Agent } from 'undici';
import { pooledFetcher, SignedContextDataSource } from '../src/subgraph-data-source.js';

const agent = new Agent();
afterAll(() => agent.close());

const dataSource = () =>
  new SignedContextDataSource(
    'catalog',
    'http://127.0.0.1:1/graphql',
    'x'.repeat(32),
    new Histogram({
      name: 'fetch_seconds',
      help: 'test',
      labelNames: ['subgraph', 'outcome'],
      registers: [new Registry()],
    }),
    pooledFetcher(agent),
  );

const response = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  }) as unknown as FetcherResponse;

describe('a subgraph answering HTTP 400', () => {
  it('keeps a BAD_USER_INPUT it refused the input with, problems included', async () => {
    const error = await dataSource().errorFromResponse(
      response(400, {
        errors: [
          {
            message: 'filter.query: must not contain control characters',
            extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'filter.query', message: 'bad' }] },
          },
        ],
      }),
    );
    expect(error.message).toBe('filter.query: must not contain control characters');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', problems: [{ field: 'filter.query', message: 'bad' }] });
  });

  it('leaves anything else uncoded (masked as internal): a validation failure is a gateway bug', async () => {
    const error = await dataSource().errorFromResponse(
      response(400, {
        errors: [{ message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
      }),
    );
    expect(error.extensions.code).toBeUndefined();
  });
});

describe('the signed context a subgraph receives', () => {
  it("carries the viewer's session and the client's User-Agent besides the viewer and address", async () => {
    const headers = new Headers();
    const viewer = { id: '0193b6b0-0000-7000-8000-000000000001', role: 'CUSTOMER' as const };
    await dataSource().willSendRequest({
      request: { query: '{ me { id } }', http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers } },
      context: {
        viewer,
        sessionUnchecked: false,
        requestId: 'req-1',
        clientAddress: '203.0.113.7',
        sessionId: 'session-1',
        userAgent: 'Radiata test agent',
        logger: undefined as never,
      },
    } as never);
    expect(await verifyGatewayContext(headers.get(GATEWAY_CONTEXT_HEADER) ?? undefined, 'x'.repeat(32))).toEqual({
      viewer,
      requestId: 'req-1',
      clientAddress: '203.0.113.7',
      sessionId: 'session-1',
      userAgent: 'Radiata test agent',
    });
  });
});
