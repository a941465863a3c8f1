import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type Answer,
  type Checkout,
  type Clock,
  DEFAULT_CHECKOUT_TTL_MS,
  FakeProvider,
  type Ledger,
} from './provider.js';
import { type CheckoutRequest, parseCancel, parseCheckout, parseConfirm } from './requests.js';
import { type ProviderFakeSwitches, Switches } from './switches.js';
import { TossError, tossErrors } from './toss.js';

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Toss's limit on an Idempotency-Key; a longer one is 400 INVALID_REQUEST. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 300;

export interface ProviderFakeOptions {
  /** 0 (the default) picks a free port; `port` on the result says which. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The secret key clients must send, as HTTP Basic `base64(secretKey + ":")`. Never logged. */
  readonly secretKey: string;
  /** How long an opened checkout can be confirmed; default 10 minutes, as at Toss. */
  readonly checkoutTtlMs?: number;
  /** Decides checkout expiry and every timestamp; default the system clock. */
  readonly clock?: Clock;
}

export interface ProviderFake {
  /** `http://host:port`: the base URL a Toss client is configured with (it appends `/v1/...`). */
  readonly url: string;
  readonly port: number;
  /** The switches as they are now (counters already used up are back to 0). */
  switches(): ProviderFakeSwitches;
  /** Sets the given switches and leaves the others; returns them all. Throws RangeError on a bad value. */
  setSwitches(changes: Partial<ProviderFakeSwitches>): ProviderFakeSwitches;
  /** Every confirm and cancel applied, and the totals per paymentKey. */
  ledger(): Ledger;
  /** What `POST /v1/checkouts` does, in-process. Throws TossError on bad input. */
  openCheckout(request: CheckoutRequest): Checkout;
  /** Forgets every checkout, payment, idempotent answer and ledger entry, and turns every switch off. */
  reset(): void;
  /** Closes the server and every connection, held ones included; the state is lost with it. */
  stop(): Promise<void>;
}

type Route =
  | { readonly kind: 'confirm' }
  | { readonly kind: 'cancel'; readonly paymentKey: string }
  | { readonly kind: 'lookUp'; readonly paymentKey: string }
  | { readonly kind: 'lookUpByOrder'; readonly orderId: string }
  | { readonly kind: 'openCheckout' }
  | { readonly kind: 'checkoutPreflight' }
  | { readonly kind: 'health' }
  | { readonly kind: 'readSwitches' }
  | { readonly kind: 'setSwitches' }
  | { readonly kind: 'ledger' }
  | { readonly kind: 'reset' };

function routeOf(method: string, pathname: string): Route | undefined {
  let segments: string[];
  try {
    segments = pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (segments.some((segment) => segment === '')) return undefined;
  const path = segments.join('/');
  const [first, second, third, fourth] = segments;
  const key = `${method} ${segments.length}`;
  if (first === 'v1' && second === 'payments') {
    if (key === 'POST 3' && third === 'confirm') return { kind: 'confirm' };
    if (key === 'POST 4' && fourth === 'cancel' && third) return { kind: 'cancel', paymentKey: third };
    if (key === 'GET 4' && third === 'orders' && fourth) return { kind: 'lookUpByOrder', orderId: fourth };
    if (key === 'GET 3' && third) return { kind: 'lookUp', paymentKey: third };
    return undefined;
  }
  switch (`${method} ${path}`) {
    case 'POST v1/checkouts':
      return { kind: 'openCheckout' };
    case 'OPTIONS v1/checkouts':
      return { kind: 'checkoutPreflight' };
    case 'GET healthz':
      return { kind: 'health' };
    case 'GET __fake/switches':
      return { kind: 'readSwitches' };
    case 'POST __fake/switches':
      return { kind: 'setSwitches' };
    case 'GET __fake/ledger':
      return { kind: 'ledger' };
    case 'POST __fake/reset':
      return { kind: 'reset' };
    default:
      return undefined;
  }
}

/** Health and control answers are never delayed: a test can always turn the latency off again. */
const UNDELAYED: ReadonlySet<Route['kind']> = new Set(['health', 'readSwitches', 'setSwitches', 'ledger', 'reset']);

/** The widget stands in for the browser: a dev frontend on another origin may open checkouts. */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

/** The client went away before its request was read: there is no one to answer. */
class ClientGone extends Error {}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

function authorized(header: string | undefined, secretDigest: Buffer): boolean {
  const credentials = header?.match(/^Basic\s+(\S+)\s*$/i)?.[1];
  if (!credentials) return false;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // Toss's secret key is the user name and the password is empty; without the colon Toss refuses it too.
  if (colon < 0) return false;
  return timingSafeEqual(sha256(decoded.slice(0, colon)), secretDigest);
}

function idempotencyKeyOf(req: IncomingMessage): string | undefined {
  const value = req.headers['idempotency-key'];
  if (value === undefined) return undefined;
  const key = Array.isArray(value) ? value.join(', ') : value;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw tossErrors.invalidRequest(`Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  }
  return key;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
      req.resume();
      reject(tossErrors.payloadTooLarge(MAX_BODY_BYTES));
      return;
    }
    if (req.readableEnded) {
      resolve(Buffer.alloc(0));
      return;
    }
    if (req.destroyed) {
      reject(new ClientGone());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(tossErrors.payloadTooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    req.once('error', () => reject(new ClientGone()));
    req.once('close', () => {
      if (!ended) reject(new ClientGone());
    });
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readBody(req)).toString('utf8');
  if (raw.trim() === '') throw tossErrors.invalidRequest('The request body must be a JSON object.');
  try {
    return JSON.parse(raw);
  } catch {
    throw tossErrors.invalidRequest('The request body is not valid JSON.');
  }
}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });

function send(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(answer.body)),
    // The rest of a 413's body is thrown away unread: the connection cannot carry another request.
    ...(answer.status === 413 ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(answer.body);
}

function shownHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the fake provider: a real HTTP server speaking Toss Payments v1 (see this package's
 * index.ts for the endpoints, codes and switches). State lives in memory: a stop loses it.
 */
export async function startProviderFake(options: ProviderFakeOptions): Promise<ProviderFake> {
  if (typeof options.secretKey !== 'string' || options.secretKey === '' || options.secretKey.includes(':')) {
    throw new Error('provider fake: secretKey must be a non-empty string without ":"');
  }
  const checkoutTtlMs = options.checkoutTtlMs ?? DEFAULT_CHECKOUT_TTL_MS;
  if (!Number.isSafeInteger(checkoutTtlMs) || checkoutTtlMs <= 0) {
    throw new Error('provider fake: checkoutTtlMs must be a whole number of milliseconds above 0');
  }
  const secretDigest = sha256(options.secretKey);
  const switches = new Switches();
  const provider = new FakeProvider(options.clock ?? { now: () => new Date() }, checkoutTtlMs, switches);
  const stopping = new AbortController();

  const requireAuth = (req: IncomingMessage): void => {
    if (!authorized(req.headers.authorization, secretDigest)) throw tossErrors.unauthorizedKey();
  };

  /** Answers `route`; undefined when the request is held or its connection dropped on purpose. */
  const answer = async (route: Route, req: IncomingMessage): Promise<Answer | undefined> => {
    switch (route.kind) {
      case 'confirm': {
        requireAuth(req);
        const request = parseConfirm(await readJson(req));
        const idempotencyKey = idempotencyKeyOf(req);
        if (switches.take('holdNextConfirms')) return undefined;
        if (switches.take('failNextConfirms')) throw tossErrors.internal();
        const result = provider.confirm(request, idempotencyKey);
        if (switches.take('loseNextConfirmAnswers')) {
          req.socket.destroy();
          return undefined;
        }
        // Processed, and left unanswered on an open connection until the client gives up.
        if (switches.take('holdNextConfirmAnswers')) return undefined;
        return result;
      }
      case 'cancel': {
        requireAuth(req);
        const request = parseCancel(await readJson(req));
        const idempotencyKey = idempotencyKeyOf(req);
        if (switches.take('holdNextCancels')) return undefined;
        if (switches.take('failNextCancels')) throw tossErrors.internal();
        const result = provider.cancel(route.paymentKey, request, idempotencyKey);
        if (switches.take('loseNextCancelAnswers')) {
          req.socket.destroy();
          return undefined;
        }
        // Processed, and left unanswered on an open connection until the client gives up.
        if (switches.take('holdNextCancelAnswers')) return undefined;
        return result;
      }
      case 'lookUp':
        requireAuth(req);
        return provider.lookUp(route.paymentKey);
      case 'lookUpByOrder':
        requireAuth(req);
        return provider.lookUpByOrder(route.orderId);
      case 'openCheckout':
        return json(200, provider.openCheckout(parseCheckout(await readJson(req))));
      case 'checkoutPreflight':
        return { status: 204, body: '' };
      case 'health':
        return json(200, { status: 'ok' });
      case 'readSwitches':
        return json(200, switches.get());
      case 'setSwitches': {
        const body = await readJson(req);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw tossErrors.invalidRequest('The request body must be a JSON object of switches.');
        }
        try {
          return json(200, switches.set(body as Record<string, unknown>));
        } catch (error) {
          if (error instanceof RangeError) throw tossErrors.invalidRequest(error.message);
          throw error;
        }
      }
      case 'ledger':
        return json(200, provider.ledger());
      case 'reset':
        provider.reset();
        switches.reset();
        return { status: 204, body: '' };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const route = routeOf(req.method ?? 'GET', new URL(req.url ?? '/', 'http://provider-fake').pathname);
    const headers = route?.kind === 'openCheckout' || route?.kind === 'checkoutPreflight' ? CORS_HEADERS : {};
    try {
      if (!route) throw tossErrors.notFound();
      const latencyMs = switches.get().latencyMs;
      if (latencyMs > 0 && !UNDELAYED.has(route.kind)) {
        await delay(latencyMs, undefined, { signal: stopping.signal });
      }
      const result = await answer(route, req);
      if (result === undefined) return;
      if (result.status === 204) {
        res.writeHead(204, headers).end();
        return;
      }
      send(res, result, headers);
    } catch (error) {
      if (error instanceof TossError) {
        send(res, { status: error.status, body: JSON.stringify(error.body) }, headers);
        return;
      }
      // Stopping (the latency wait was cut short) or the client left: nobody to answer.
      if (error instanceof ClientGone || stopping.signal.aborted) return;
      console.error('provider fake: unexpected error', error);
      send(res, { status: 500, body: JSON.stringify(tossErrors.internal().body) }, headers);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://${shownHost(host)}:${port}`,
    port,
    switches: () => switches.get(),
    setSwitches: (changes) => switches.set(changes),
    ledger: () => provider.ledger(),
    openCheckout: (request) => provider.openCheckout(parseCheckout(request)),
    reset: () => {
      provider.reset();
      switches.reset();
    },
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        // One more turn of the event loop: a client in this process (a test) sees its kept-alive
        // connections end before stop() resolves, rather than sending its next request on one.
        await new Promise((resolve) => setImmediate(resolve));
      })();
      return stopped;
    },
  };
}
