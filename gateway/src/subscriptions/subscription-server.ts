import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type VerifiedAccessToken, verifyAccessToken } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';
import { closeClientSockets, formatPublicError, inputProblems, inputProblemsError } from '@radiata/service-runtime';
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLFormattedError,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import proxyAddr from 'proxy-addr';
import { WebSocketServer } from 'ws';
import { CHECKED_SCALARS } from '../input-rules.js';
import type { RequestLimit } from '../request-limit.js';
import { type SessionCheck, sessionEnded } from '../session-check.js';
import { ClientFeed } from './client-feed.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { PlannedSubscription, SubscriptionPlanner } from './planner.js';
import type { SharedSubscriptions } from './shared-subscriptions.js';
import type { SharingScope } from './upstream.js';

export interface SubscriptionServerLimits {
  readonly perConnection: number;
  readonly connectionsPerAddress: number;
  readonly initTimeoutMs: number;
  readonly keepAliveMs: number;
  /** Bytes a client's socket may hold unsent before the client is dropped as too slow. */
  readonly maxBufferedBytes: number;
  readonly maxPayloadBytes: number;
  readonly maxTokens: number;
  /** The gateway's depth, cost and alias rules (graphql-armor), run with graphql-js's own. */
  readonly validationRules: readonly ValidationRule[];
  /** How long `close()` waits for clients to answer the 1001 before dropping them. */
  readonly closeGraceMs?: number;
}

export interface SubscriptionServerOptions {
  readonly httpServer: Server;
  readonly path: string;
  readonly planner: SubscriptionPlanner;
  readonly shared: SharedSubscriptions;
  readonly jwtSecret: string;
  readonly sessions: SessionCheck;
  readonly requestLimit: RequestLimit;
  /** Express's compiled `trust proxy`: which peers may tell the client's address. */
  readonly trustProxy: (address: string, hop: number) => boolean;
  readonly limits: SubscriptionServerLimits;
  readonly logger: Logger;
  readonly metrics: SubscriptionMetrics;
}

export interface SubscriptionServer {
  /** Refuses new connections, closes open ones with 1001 "Going away" so clients go to another replica. */
  close(): Promise<void>;
}

/** Validated documents kept for clients that send the same text again. */
const VALID_DOCUMENTS_KEPT = 1_000;
const TRY_AGAIN_LATER = 1013;
/** graphql-ws's Forbidden: its client retries it, calling `connectionParams` again (a fresh token). */
const FORBIDDEN = 4403;

interface Connection {
  readonly token: VerifiedAccessToken | null;
  /** Milliseconds since the epoch when the access token expires; null for anonymous connections. */
  readonly expiresAtMs: number | null;
  readonly clientAddress: string;
  readonly logger: Logger;
  /** Root fields of the running subscriptions, by operation id (the gauge's labels). */
  readonly active: Map<string, string>;
}

/** What onSubscribe hands to `subscribe` for one client subscription. */
interface Prepared {
  /** The client's id of the operation. */
  readonly id: string;
  readonly plan: PlannedSubscription;
  readonly document: DocumentNode;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly scope: SharingScope;
  readonly connection: Connection;
  readonly socket: Extra['socket'];
}

/** Errors already formatted for clients, carried through graphql-ws's error path. */
class ClientErrors extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors[0]?.message ?? 'Subscription failed');
  }
}

const coded = (message: string, code: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions } });

const tokenExpired = () => coded('The access token expired: connect again with a fresh one', 'UNAUTHENTICATED');

/**
 * Who a shared subscription runs as. Public subscriptions (tagged by their subgraph) run as an
 * anonymous shopper for anonymous users and customers alike, so all of them share one; sellers
 * and admins, who may see unlisted products, run as themselves. Personal ones run as the viewer.
 */
export function sharingScope(plan: PlannedSubscription, token: VerifiedAccessToken | null): SharingScope {
  const viewer = token?.viewer ?? null;
  if (!viewer || (plan.audience === 'public' && viewer.role === 'CUSTOMER')) return { key: 'anonymous', viewer: null };
  return { key: `${viewer.role}:${viewer.id}`, viewer };
}

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's own port and path: clients subscribe
 * where they query. The access token comes once, in `connection_init`
 * (`{ "authorization": "Bearer …" }`); every subscription is validated with the same limits and
 * input rules as HTTP requests, counted against the client's request budget, planned by the
 * supergraph, and joined to the shared subscription of its scope (shared-subscriptions.ts).
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { limits, metrics, planner } = options;
  const log = options.logger.child({ component: 'subscriptions' });
  const rules = [...specifiedRules, ...limits.validationRules];
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes });
  const perAddress = new Map<string, number>();
  /**
   * Documents that parsed and passed validation, by query text (least recently used first): a
   * crowd following one page sends the same text, and validation is most of a subscribe's CPU.
   * The schema and the rules are fixed for the server's life, so the outcome depends on the text alone.
   */
  const validDocuments = new Map<string, DocumentNode>();
  let closing = false;

  /** The client's address as HTTP requests see it (`req.ip`): trusted proxies applied. */
  const addressOf = (request: IncomingMessage): string => {
    try {
      return proxyAddr(request, options.trustProxy);
    } catch {
      return request.socket.remoteAddress ?? 'unknown';
    }
  };

  const refuseUpgrade = (socket: Duplex, status: string, headers = '') => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n${headers}\r\n`);
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own 'error' listener from upgrade sockets: a reset must not crash us.
    socket.on('error', () => socket.destroy());
    // No URL parsing: a malformed request target must not throw inside an event listener.
    const pathname = (request.url ?? '/').split('?', 1)[0];
    if (pathname !== options.path) return refuseUpgrade(socket, '404 Not Found');
    if (closing) return refuseUpgrade(socket, '503 Service Unavailable', 'Retry-After: 1\r\n');
    const address = addressOf(request);
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.connectionsPerAddress) {
      metrics.refused.inc({ limit: 'connections_per_address' });
      return refuseUpgrade(socket, '429 Too Many Requests', 'Retry-After: 10\r\n');
    }
    perAddress.set(address, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    };
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => {
      metrics.connections.inc();
      ws.once('close', () => metrics.connections.dec());
      wss.emit('connection', ws, request);
      // graphql-ws prints any socket error with console.error; a client's oversized (1009) or
      // malformed (1002) frame, which ws answers by closing, is the client's doing: logged, not printed.
      ws.removeAllListeners('error');
      ws.on('error', (error) => log.debug({ err: error, clientAddress: address }, 'client WebSocket error'));
    });
  };
  options.httpServer.on('upgrade', onUpgrade);

  const connections = new WeakMap<object, Connection>();
  type Ctx = Context<Record<string, unknown>, Extra>;

  const release = (connection: Connection, id: string) => {
    const label = connection.active.get(id);
    if (label === undefined) return;
    connection.active.delete(id);
    metrics.clientSubscriptions.dec({ operation: label });
  };

  /** Prepares one subscription, or the coded errors that refuse it (nothing is started then). */
  const prepare = async (
    ctx: Ctx,
    id: string,
    connection: Connection,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): Promise<Prepared | readonly GraphQLError[]> => {
    // ctx.subscriptions already holds this operation's id.
    if (Object.keys(ctx.subscriptions).length > limits.perConnection) {
      metrics.refused.inc({ limit: 'subscriptions_per_connection' });
      return [coded(`Too many subscriptions on one connection (at most ${limits.perConnection})`, 'BAD_REQUEST')];
    }
    const viewer = connection.token?.viewer ?? null;
    await options.requestLimit.take(viewer, connection.clientAddress);
    let document = validDocuments.get(payload.query);
    if (document) {
      // Most recently used last: the first key is the one to evict.
      validDocuments.delete(payload.query);
    } else {
      try {
        document = parse(payload.query, { maxTokens: limits.maxTokens });
      } catch (error) {
        return [coded(error instanceof GraphQLError ? error.message : 'Syntax error', 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(planner.schema, document, rules);
      if (invalid.length > 0) {
        return invalid.map(
          (error) =>
            new GraphQLError(error.message, {
              nodes: error.nodes ?? null,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
        );
      }
      if (validDocuments.size >= VALID_DOCUMENTS_KEPT) validDocuments.delete(validDocuments.keys().next().value!);
    }
    validDocuments.set(payload.query, document);
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation) {
      return [coded('The document has no single operation to run: name one in operationName', 'BAD_REQUEST')];
    }
    if (operation.operation !== 'subscription') {
      return [
        coded('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', 'BAD_REQUEST'),
      ];
    }
    const coerced = getVariableValues(planner.schema, operation.variableDefinitions ?? [], payload.variables ?? {});
    if (coerced.errors) {
      return coerced.errors.map(
        (error) =>
          new GraphQLError(error.message, { nodes: error.nodes ?? null, extensions: { code: 'BAD_USER_INPUT' } }),
      );
    }
    const variables = coerced.coerced;
    const problems = inputProblems(planner.schema, document, operation, variables, { scalars: CHECKED_SCALARS });
    if (problems.length > 0) return [inputProblemsError(problems)];
    const plan = planner.plan(payload.query, document, operation);
    const scope = sharingScope(plan, connection.token);
    if (scope.viewer && connection.token) {
      if (connection.expiresAtMs !== null && connection.expiresAtMs <= Date.now()) return [tokenExpired()];
      // Was the session ended (log-out, role change, deletion) since the connection was made?
      const status = await options.sessions.status(connection.token);
      if (status === 'revoked') return [sessionEnded()];
      if (status === 'unknown') {
        return [
          coded('Sign-in could not be checked right now: try again shortly', 'SERVICE_UNAVAILABLE', {
            retryAfterSeconds: 2,
          }),
        ];
      }
    }
    return { id, plan, document, query: payload.query, variables, scope, connection, socket: ctx.extra.socket };
  };

  /**
   * One client's feed of a shared subscription (client-feed.ts): events written straight to its
   * socket, the client dropped when it falls behind, and the feed ended at token expiry when it
   * runs as the viewer.
   */
  const follow = (prepared: Prepared): ClientFeed => {
    const { connection, socket, scope } = prepared;
    let leave = () => {};
    let expiry: NodeJS.Timeout | undefined;
    const feed = new ClientFeed({
      socket,
      id: prepared.id,
      maxBufferedBytes: limits.maxBufferedBytes,
      onSlow: () => {
        metrics.droppedClients.inc({ reason: 'slow' });
        connection.logger.warn('client too slow: its unsent messages kept growing; connection closed');
        socket.close(TRY_AGAIN_LATER, 'Client too slow');
        // A client that reads nothing would not read the close frame either.
        setTimeout(() => socket.terminate(), 1_000).unref();
      },
      onEnd: () => {
        clearTimeout(expiry);
        leave();
      },
    });
    leave = options.shared.join(prepared, {
      next: (event) => feed.write(event),
      error: (errors) => feed.fail(new ClientErrors(errors)),
      complete: () => feed.complete(),
    });
    if (scope.viewer && connection.expiresAtMs !== null) {
      expiry = setTimeout(
        () => feed.fail(new ClientErrors([formatPublicError(tokenExpired().toJSON(), undefined)])),
        Math.max(0, connection.expiresAtMs - Date.now()),
      );
    }
    return feed;
  };

  const graphqlWs = useServer<Record<string, unknown>>(
    {
      // Never put internal error messages in close reasons, whatever NODE_ENV says.
      isProd: true,
      connectionInitWaitTimeout: limits.initTimeoutMs,

      async onConnect(ctx: Ctx) {
        const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const clientAddress = addressOf(ctx.extra.request);
        let token: VerifiedAccessToken | null = null;
        if (header !== undefined && header !== null && header !== '') {
          const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
          token = (match?.[1] && (await verifyAccessToken(match[1], options.jwtSecret))) || null;
          if (!token || (await options.sessions.status(token)) === 'revoked') {
            ctx.extra.socket.close(FORBIDDEN, 'Invalid or expired access token');
            return false;
          }
        }
        connections.set(ctx, {
          token,
          expiresAtMs: token ? token.expiresAt.getTime() : null,
          clientAddress,
          logger: log.child({ userId: token?.viewer.id, clientAddress }),
          active: new Map(),
        });
        return true;
      },

      async onSubscribe(ctx: Ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> {
        const connection = connections.get(ctx);
        if (!connection) return [coded('Unauthorized', 'UNAUTHENTICATED')];
        let prepared: Prepared | readonly GraphQLError[];
        try {
          prepared = await prepare(ctx, id, connection, payload);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          connection.logger.error({ err: error }, 'preparing a subscription failed');
          return [coded('Internal server error', 'INTERNAL_SERVER_ERROR')];
        }
        if (!('plan' in prepared)) return prepared;
        return {
          schema: planner.schema,
          document: prepared.document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: prepared,
        };
      },

      // The feed writes its events itself; graphql-ws only sends its `complete` or `error`.
      subscribe: (args: ExecutionArgs) => follow(args.contextValue as Prepared),

      onOperation(ctx: Ctx, id, _payload, args) {
        const connection = connections.get(ctx);
        if (!connection) return;
        const label = (args.contextValue as Prepared).plan.rootField;
        connection.active.set(id, label);
        metrics.clientSubscriptions.inc({ operation: label });
      },

      onError(ctx: Ctx, _id, _payload, errors) {
        const forwarded = errors.find((error) => error.originalError instanceof ClientErrors);
        if (forwarded) return [...(forwarded.originalError as ClientErrors).errors];
        return errors.map((error) => {
          if (!error.extensions?.code)
            connections.get(ctx)?.logger.error({ err: error.originalError ?? error }, 'subscription failed');
          return formatPublicError(error.toJSON(), error);
        });
      },

      onComplete(ctx: Ctx, id) {
        const connection = connections.get(ctx);
        if (connection) release(connection, id);
      },

      onClose(ctx: Ctx) {
        const connection = connections.get(ctx);
        if (!connection) return;
        for (const id of [...connection.active.keys()]) release(connection, id);
      },
    },
    wss,
    limits.keepAliveMs,
  );

  let closed: Promise<void> | undefined;
  return {
    close: () => {
      closed ??= (async () => {
        closing = true;
        await closeClientSockets(wss, limits.closeGraceMs ?? 5_000);
        await graphqlWs.dispose();
      })();
      return closed;
    },
  };
}
