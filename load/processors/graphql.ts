// Hooks every scenario shares: who the virtual user is to the gateway (its client address and
// access token) and GraphQL errors counted as failures (they arrive inside HTTP 200 answers, which
// artillery alone counts as successes).
import type { Done, Metrics, RequestParams, Response, VirtualUser } from './artillery.js';
import { gatewayUrl } from './fixture.js';

/** An answer later than this is none (the runner sets it with the HTTP engine's `http.timeout`). */
const REQUEST_TIMEOUT_MS = Number(process.env.LOAD_REQUEST_TIMEOUT_MS ?? 10_000);

export interface GraphqlError {
  readonly message: string;
  readonly extensions?: { readonly code?: string };
}

export interface GraphqlAnswer {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphqlError[];
}

/**
 * A client address for a virtual user that brings none in its payload: the gateway takes
 * X-Forwarded-For from loopback peers (TRUST_PROXY=loopback, as from a load balancer), so its
 * per-address limits see many shoppers, as in production, rather than one machine.
 */
export function randomClientAddress(): string {
  const byte = () => Math.floor(Math.random() * 256);
  return `10.${64 + Math.floor(Math.random() * 64)}.${byte()}.${1 + Math.floor(Math.random() * 254)}`;
}

export function clientHeaders(user: VirtualUser): Record<string, string> {
  user.vars.clientIp ??= randomClientAddress();
  const headers: Record<string, string> = { 'x-forwarded-for': String(user.vars.clientIp) };
  if (typeof user.vars.accessToken === 'string' && user.vars.accessToken) {
    headers.authorization = `Bearer ${user.vars.accessToken}`;
  }
  return headers;
}

/** beforeRequest: the user's client address and, when signed in, its access token. */
export function setClientHeaders(params: RequestParams, user: VirtualUser, _metrics: Metrics, done: Done): void {
  params.headers = { ...params.headers, ...clientHeaders(user) };
  done();
}

export function parseAnswer(body: unknown): GraphqlAnswer | undefined {
  if (typeof body === 'object' && body !== null) return body as GraphqlAnswer;
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    return JSON.parse(body) as GraphqlAnswer;
  } catch {
    return undefined;
  }
}

/**
 * afterResponse: counts `graphql.errors` (always emitted, 0 included, so `ensure` can check it)
 * and `graphql.errors.<operation>.<code>`; keeps the answer's data in `vars.answer` for the
 * scenario's functions.
 */
export function countGraphqlErrors(
  params: RequestParams,
  response: Response,
  user: VirtualUser,
  metrics: Metrics,
  done: Done,
): void {
  const answer = parseAnswer(response.body);
  user.vars.answer = answer?.data ?? null;
  countErrors(
    metrics,
    params.name ?? 'operation',
    answer?.errors ?? (answer ? [] : [{ message: 'not a GraphQL answer' }]),
  );
  done();
}

/** Counts `graphql.errors` (0 included) and `graphql.errors.<operation>.<code>` of one answer. */
function countErrors(metrics: Metrics, operation: string, errors: readonly GraphqlError[]): void {
  metrics.emit('counter', 'graphql.errors', errors.length);
  for (const error of errors) {
    metrics.emit('counter', `graphql.errors.${operation}.${error.extensions?.code ?? 'NO_CODE'}`, 1);
  }
}

/**
 * One GraphQL request from a processor function, as the user (its address and token), over
 * undici's pooled connections (as behind a load balancer): a third of the CPU the HTTP engine
 * spends per request, which matters where thousands are sent in one second by one load generator.
 * Times it (`graphql.response_time.<operation>`, ms) and counts its errors as the hook does.
 */
export async function sendGraphql<T>(
  user: VirtualUser,
  metrics: Metrics,
  operation: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T | undefined> {
  const started = performance.now();
  let answer: GraphqlAnswer | undefined;
  try {
    const response = await fetch(new URL('/graphql', gatewayUrl()), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...clientHeaders(user) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    answer = parseAnswer(await response.text());
    metrics.emit('counter', `graphql.responses.${operation}.${response.status}`, 1);
  } catch (error) {
    answer = { errors: [{ message: String(error), extensions: { code: 'NO_ANSWER' } }] };
  }
  metrics.emit('histogram', `graphql.response_time.${operation}`, performance.now() - started);
  countErrors(metrics, operation, answer?.errors ?? (answer ? [] : [{ message: 'not a GraphQL answer' }]));
  return (answer?.data?.[operation] ?? undefined) as T | undefined;
}

/** The field `name` of the last answer's data (set by countGraphqlErrors). */
export function answerField<T>(user: VirtualUser, name: string): T | undefined {
  const data = user.vars.answer as Record<string, unknown> | null | undefined;
  return (data?.[name] ?? undefined) as T | undefined;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** `promise`'s value, or 'timeout' after `ms` (the timer cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
