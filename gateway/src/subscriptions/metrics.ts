import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the gateway's subscription router exposes to Prometheus (the Grafana "Radiata / Live" dashboard). */
export interface SubscriptionMetrics {
  /** Clients' open WebSocket connections. */
  readonly connections: Gauge;
  /** Clients' running subscriptions, by root field. */
  readonly clientSubscriptions: Gauge<'operation'>;
  /** Subscriptions the gateway holds on subgraphs (one per shared subscription), by subgraph. */
  readonly upstreamSubscriptions: Gauge<'subgraph'>;
  /** Open WebSocket connections to subgraphs, by subgraph. */
  readonly upstreamConnections: Gauge<'subgraph'>;
  /** Events received from subgraphs, by root field. */
  readonly eventsIn: Counter<'operation'>;
  /** Messages sent to clients (one per client and event), by root field. */
  readonly eventsOut: Counter<'operation'>;
  /** Time to complete one event with other subgraphs' fields (once for all the clients sharing it). */
  readonly eventDuration: Histogram<'operation'>;
  /** Clients disconnected by the gateway, by reason (slow: events piled up unsent). */
  readonly droppedClients: Counter<'reason'>;
  /** Connections and subscriptions refused by a limit, by limit. */
  readonly refused: Counter<'limit'>;
}

export function createSubscriptionMetrics(registry: Registry): SubscriptionMetrics {
  const registers = [registry];
  return {
    connections: new Gauge({
      name: 'gateway_subscription_connections',
      help: 'Open client WebSocket connections (graphql-ws)',
      registers,
    }),
    clientSubscriptions: new Gauge({
      name: 'gateway_subscriptions_active',
      help: 'Running client subscriptions, by root field',
      labelNames: ['operation'],
      registers,
    }),
    upstreamSubscriptions: new Gauge({
      name: 'gateway_upstream_subscriptions_active',
      help: 'Subscriptions held on subgraphs (one per group of clients sharing it), by subgraph',
      labelNames: ['subgraph'],
      registers,
    }),
    upstreamConnections: new Gauge({
      name: 'gateway_upstream_subscription_connections',
      help: 'Open WebSocket connections to subgraphs, by subgraph',
      labelNames: ['subgraph'],
      registers,
    }),
    eventsIn: new Counter({
      name: 'gateway_subscription_events_received_total',
      help: 'Subscription events received from subgraphs, by root field',
      labelNames: ['operation'],
      registers,
    }),
    eventsOut: new Counter({
      name: 'gateway_subscription_events_sent_total',
      help: 'Subscription events queued to clients (one per client and event), by root field',
      labelNames: ['operation'],
      registers,
    }),
    eventDuration: new Histogram({
      name: 'gateway_subscription_event_duration_seconds',
      help: "Time to complete one subscription event with other subgraphs' fields, by root field",
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    droppedClients: new Counter({
      name: 'gateway_subscription_clients_dropped_total',
      help: 'Client connections closed by the gateway, by reason (slow: events piled up unsent)',
      labelNames: ['reason'],
      registers,
    }),
    refused: new Counter({
      name: 'gateway_subscription_refused_total',
      help: 'Client connections and subscriptions refused by a limit, by limit',
      labelNames: ['limit'],
      registers,
    }),
  };
}
