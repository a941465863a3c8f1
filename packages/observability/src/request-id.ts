import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request this process received from outside: always its own, so a client can
 * neither choose the id that ties logs, subgraph calls and events together nor collide with another's.
 */
export const newRequestId = (): string => randomUUID();

/**
 * The caller's own request id, when well-formed, for logs only (e.g. `clientRequestId`, to find
 * a client's report): never the request's id. Undefined when missing or unsafe (no log injection).
 */
export function clientRequestIdFrom(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : undefined;
}
