import { executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { Logger } from '@radiata/observability';
import { formatPublicError } from '@radiata/service-runtime';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { unresolvedReferenceErrors } from '../unresolved-references.js';
import type { SubscriptionMetrics } from './metrics.js';
import { EVENT_SOURCE, type PlannedSubscription, type SubscriptionPlanner } from './planner.js';
import type { SharingScope, UpstreamConnections } from './upstream.js';

/** One completed event, as every client sharing it receives it. */
export interface SharedEvent {
  readonly result: FormattedExecutionResult;
  /** `result` serialized once, for every client's `next` message. */
  readonly json: string;
}

/** One client's subscription, as the shared subscription it joined sees it. */
export interface Member {
  next(event: SharedEvent): void;
  /** The subscription failed upstream (e.g. NOT_FOUND, FORBIDDEN): the errors end it. */
  error(errors: readonly GraphQLFormattedError[]): void;
  complete(): void;
}

export interface SharedSubscriptionsOptions {
  readonly planner: SubscriptionPlanner;
  readonly upstream: UpstreamConnections;
  /** The gateway's data sources by subgraph name, for the entity fetches that complete each event. */
  readonly dataSources: ReadonlyMap<string, GraphQLDataSource<GatewayContext>>;
  readonly logger: Logger;
  readonly metrics: SubscriptionMetrics;
}

/** Events received upstream and waiting to be completed; past this the oldest is skipped. */
const MAX_QUEUED_EVENTS = 100;
/** Latest events kept for clients that join a running subscription (one per state). */
const MAX_REPLAYED_STATES = 1000;

export interface JoinRequest {
  readonly plan: PlannedSubscription;
  /** The document's text: with the operation name, variables and scope it names the subscription. */
  readonly query: string;
  /** Coerced variable values of the operation. */
  readonly variables: Readonly<Record<string, unknown>>;
  readonly scope: SharingScope;
}

/** Key order of variables must not split clients that send the same values. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Clients whose subscriptions are the same (document, operation, variables and sharing scope)
 * share one: one upstream subscription on the owning subgraph, one execution of the rest of the
 * plan per event (the other subgraphs' fields fetched once for all of them), and one result
 * fanned out to every client. A client that joins a running subscription is first sent the
 * latest event of each state it reports (a product's price, a sale's countdown), so it does not
 * wait for the next change. The last client to leave ends the upstream subscription.
 */
export class SharedSubscriptions {
  private readonly running = new Map<string, SharedSubscription>();
  private sequence = 0;

  constructor(private readonly options: SharedSubscriptionsOptions) {}

  /** Adds `member` to the subscription `request` names, starting it if none runs; returns its leave function. */
  join(request: JoinRequest, member: Member): () => void {
    const { plan, scope } = request;
    const key = [
      scope.key,
      plan.operationContext.operation.name?.value ?? '',
      request.query,
      canonicalJson(request.variables),
    ].join('\u0000');
    let shared = this.running.get(key);
    if (!shared) {
      this.sequence += 1;
      shared = new SharedSubscription(request, `subscription-${this.sequence}`, this.options, () => {
        if (this.running.get(key) === shared) this.running.delete(key);
      });
      this.running.set(key, shared);
      try {
        shared.start();
      } catch (error) {
        // The upstream connections are closed (the gateway is stopping): nothing was started.
        this.running.delete(key);
        throw error;
      }
    }
    return shared.add(member);
  }
}

type Work =
  | { readonly kind: 'event'; readonly event: FormattedExecutionResult }
  | { readonly kind: 'end'; run(): void };

class SharedSubscription {
  private readonly members = new Set<Member>();
  /** The latest event of each state the events report, oldest first. */
  private readonly latest = new Map<string, SharedEvent>();
  private readonly queue: Work[] = [];
  private draining = false;
  private unsubscribe: (() => void) | undefined;
  /** Set once the upstream ended or the last member left: nobody joins it any more. */
  private ended = false;
  private events = 0;
  private readonly logger: Logger;
  private readonly operation: string;

  constructor(
    private readonly request: JoinRequest,
    private readonly id: string,
    private readonly options: SharedSubscriptionsOptions,
    private readonly onEnd: () => void,
  ) {
    this.operation = request.plan.rootField;
    this.logger = options.logger.child({ subscription: id, operation: this.operation });
  }

  start(): void {
    const { plan, scope, variables } = this.request;
    const upstreamVariables = Object.fromEntries(
      plan.upstream.variableNames.flatMap((name) => (name in variables ? [[name, variables[name]]] : [])),
    );
    this.unsubscribe = this.options.upstream.subscribe(
      plan.upstream.subgraph,
      scope,
      { query: plan.upstream.query, operationName: plan.upstream.operationName, variables: upstreamVariables },
      {
        next: (event) => this.enqueue({ kind: 'event', event }),
        error: (error) => this.enqueue({ kind: 'end', run: () => this.fail(upstreamErrors(error)) }),
        complete: () => this.enqueue({ kind: 'end', run: () => this.finish() }),
      },
    );
    this.logger.debug('upstream subscription started');
  }

  add(member: Member): () => void {
    this.members.add(member);
    for (const event of this.latest.values()) member.next(event);
    return () => {
      if (!this.members.delete(member) || this.members.size > 0 || this.ended) return;
      this.end();
      this.logger.debug('last client left: upstream subscription ended');
    };
  }

  private enqueue(work: Work): void {
    if (this.ended && work.kind === 'event') return;
    if (work.kind === 'end') {
      // Nobody joins a subscription about to end: the next client starts a new one.
      this.onEnd();
    } else {
      this.options.metrics.eventsIn.inc({ operation: this.operation });
    }
    this.queue.push(work);
    if (this.queue.length > MAX_QUEUED_EVENTS) {
      const oldest = this.queue.findIndex((queued) => queued.kind === 'event');
      if (oldest >= 0) {
        this.queue.splice(oldest, 1);
        this.logger.warn('events arrive faster than they are completed: the oldest waiting one was skipped');
      }
    }
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let work = this.queue.shift(); work; work = this.queue.shift()) {
        if (work.kind === 'end') work.run();
        else if (!this.ended) await this.deliver(work.event);
      }
    } finally {
      this.draining = false;
    }
  }

  private async deliver(event: FormattedExecutionResult): Promise<void> {
    const end = this.options.metrics.eventDuration.startTimer({ operation: this.operation });
    let completed: { result: FormattedExecutionResult; state: string };
    try {
      completed = await this.complete(event);
    } catch (error) {
      this.logger.error({ err: error }, 'completing a subscription event failed');
      completed = {
        result: { errors: [formatPublicError({ message: 'Internal server error' }, error)] },
        state: '',
      };
    } finally {
      end();
    }
    if (this.ended) return;
    const shared: SharedEvent = { result: completed.result, json: JSON.stringify(completed.result) };
    this.latest.delete(completed.state);
    this.latest.set(completed.state, shared);
    if (this.latest.size > MAX_REPLAYED_STATES) {
      this.latest.delete(this.latest.keys().next().value as string);
    }
    for (const member of this.members) member.next(shared);
    this.options.metrics.eventsOut.inc({ operation: this.operation }, this.members.size);
  }

  /** Runs the rest of the plan on one event, as the scope's viewer, and shapes what clients see. */
  private async complete(
    event: FormattedExecutionResult,
  ): Promise<{ result: FormattedExecutionResult; state: string }> {
    const { plan, scope, variables, query } = this.request;
    this.events += 1;
    const requestId = `${this.id}:${this.events}`;
    const context: GatewayContext = {
      viewer: scope.viewer,
      sessionUnchecked: false,
      requestId,
      clientAddress: null,
      logger: this.logger.child({ requestId }),
    };
    const serviceMap: Record<string, GraphQLDataSource<GatewayContext>> = Object.fromEntries(this.options.dataSources);
    // The primary fetch is answered by the event the owning subgraph pushed.
    serviceMap[EVENT_SOURCE] = { process: async () => event } as GraphQLDataSource<GatewayContext>;
    const requestContext = {
      request: {
        query,
        variables,
        ...(plan.operationContext.operation.name ? { operationName: plan.operationContext.operation.name.value } : {}),
      },
      context,
      logger: context.logger,
      metrics: {},
      cache: undefined,
    } as unknown as Parameters<typeof executeQueryPlan>[2];
    const { planner } = this.options;
    const executed = await executeQueryPlan(
      plan.eventPlan,
      serviceMap,
      requestContext,
      plan.operationContext,
      planner.supergraphSchema,
      planner.apiSchema,
    );
    const errors: GraphQLFormattedError[] = [
      ...(executed.errors ?? []).map((error) => formatPublicError(error.toJSON(), error)),
      ...unresolvedReferenceErrors(executed.extensions),
    ];
    const data = executed.data as Record<string, unknown> | null | undefined;
    const root = data?.[plan.responseKey];
    let state = '';
    if (root !== null && typeof root === 'object') {
      const fields = root as Record<string, unknown>;
      state = plan.stateKeyAliases.map((alias) => String(fields[alias])).join('\u0000');
      for (const alias of plan.stateKeyAliases) delete fields[alias];
    }
    const result: FormattedExecutionResult = {
      ...(data === undefined ? {} : { data }),
      ...(errors.length ? { errors } : {}),
    };
    return { result, state };
  }

  private fail(errors: readonly GraphQLFormattedError[]): void {
    this.end();
    for (const member of this.members) member.error(errors);
    this.members.clear();
  }

  private finish(): void {
    this.end();
    for (const member of this.members) member.complete();
    this.members.clear();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    this.unsubscribe?.();
    this.latest.clear();
  }
}

/** What graphql-ws's client reports: the subgraph's formatted errors, or a connection failure. */
function upstreamErrors(error: unknown): readonly GraphQLFormattedError[] {
  if (Array.isArray(error) && error.every((item) => typeof item?.message === 'string')) {
    return (error as GraphQLFormattedError[]).map((item) => formatPublicError(item, undefined));
  }
  return [
    {
      message: 'The live feed is unavailable right now: subscribe again shortly',
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
    },
  ];
}
