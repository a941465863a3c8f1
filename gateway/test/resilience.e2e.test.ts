import { graphql } from '@radiata/testing';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(() => graph.stop());

describe('when a subgraph is down', () => {
  it('reports not ready and answers a retryable error without internals', async () => {
    expect((await fetch(new URL('/readyz', graph.gateway.url))).status).toBe(200);
    await graph.users.subgraph.stop();

    const ready = await fetch(new URL('/readyz', graph.gateway.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', checks: { redis: 'ok', subgraphs: 'unavailable' } });

    const response = await graphql(graph.gateway.url, '{ me { id } }');
    const body = JSON.stringify(response);
    expect(response.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 } }),
    ]);
    expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack|at \w+ \(/);
  });
});
