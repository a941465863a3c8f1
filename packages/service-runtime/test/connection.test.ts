import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, pageSize, toConnection } from '../src/index.js';

describe('cursor pagination', () => {
  it('round-trips cursors and rejects tampered ones as BAD_USER_INPUT', () => {
    const id = '0192f3a0-0000-7000-8000-000000000001';
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(undefined)).toBeUndefined();
    for (const bad of ['', '!!!', `${encodeCursor(id)}=`]) {
      let error: unknown;
      try {
        decodeCursor(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('bounds the page size', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    expect(() => pageSize(0)).toThrow('first must be between 1 and 100');
    expect(() => pageSize(101)).toThrow('first must be between 1 and 100');
  });

  it('uses the extra row only to detect a next page', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toConnection(rows, 2, (r) => r.id);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('b') });
    expect(toConnection(rows, 3, (r) => r.id).pageInfo.hasNextPage).toBe(false);
    expect(toConnection([], 3, (r: { id: string }) => r.id).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
