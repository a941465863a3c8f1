import { badUserInput } from '@radiata/errors';
import { isId } from './ids.js';

/** Relay-style cursor pagination over rows ordered by a sortable id (UUIDv7). */

export const MAX_PAGE_SIZE = 100;

export interface Connection<T> {
  readonly edges: { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | null | undefined, argument = 'after'): string | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (key.length === 0 || encodeCursor(key) !== cursor) throw badUserInput(`${argument} is not a valid cursor`);
  return key;
}

export function pageSize(first: number | null | undefined, argument = 'first'): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`${argument} must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** `rows` fetched with `take: size + 1`: the extra row only tells whether a next page exists. */
export function toConnection<T>(rows: readonly T[], size: number, keyOf: (row: T) => string): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}

export interface PageRequest {
  readonly first?: number | null;
  readonly after?: string | null;
}

/** What `newestFirst` asks its reader for: rows with an id below `idBelow` (if set), newest first. */
export interface IdWindow {
  readonly idBelow: string | undefined;
  readonly take: number;
}

/**
 * A keyset page of rows ordered by id descending (UUIDv7 ids: newest first). Checks `first` and
 * `after` (BAD_USER_INPUT when invalid), then `read` fetches `take` rows (one more than the page,
 * which only tells whether another page follows).
 */
export async function newestFirst<T extends { readonly id: string }>(
  request: PageRequest,
  read: (window: IdWindow) => Promise<readonly T[]>,
): Promise<Connection<T>> {
  const size = pageSize(request.first);
  const idBelow = decodeCursor(request.after);
  if (idBelow !== undefined && !isId(idBelow)) throw badUserInput('after is not a valid cursor');
  return toConnection(await read({ idBelow, take: size + 1 }), size, (row) => row.id);
}
