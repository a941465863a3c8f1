import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SUBGRAPHS } from './support/graph.js';

describe('the whole-graph tests', () => {
  it('start every subgraph rover.yaml composes', () => {
    const rover = parse(readFileSync(new URL('../../rover.yaml', import.meta.url), 'utf8')) as {
      subgraphs: Record<string, unknown>;
    };
    expect(Object.keys(SUBGRAPHS).sort()).toEqual(Object.keys(rover.subgraphs).sort());
    for (const [name, subgraph] of Object.entries(SUBGRAPHS)) expect(subgraph.name).toBe(name);
  });
});
