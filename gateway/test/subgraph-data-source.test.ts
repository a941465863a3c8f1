import type { FetcherResponse } from '@apollo/utils.fetcher';
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
