import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, type IdWindow, newestFirst, pageSize, toConnection } from '../src/index.js';

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

  it('reads a newest-first page below the cursor id, and refuses a cursor that is not an id', async () => {
    const ids = ['0192f3a0-0000-7000-8000-000000000003', '0192f3a0-0000-7000-8000-000000000002'];
    const windows: IdWindow[] = [];
    const page = await newestFirst(
      { first: 1, after: encodeCursor('0192f3a0-0000-7000-8000-000000000009') },
      async (window) => {
        windows.push(window);
        return ids.map((id) => ({ id }));
      },
    );
    expect(windows).toEqual([{ idBelow: '0192f3a0-0000-7000-8000-000000000009', take: 2 }]);
    expect(page.edges.map((edge) => edge.node.id)).toEqual([ids[0]]);
    expect(page.pageInfo.hasNextPage).toBe(true);

    const read = jest.fn(async () => []);
    await expect(newestFirst({ after: encodeCursor('not-an-id') }, read)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(read).not.toHaveBeenCalled();
  });
});
