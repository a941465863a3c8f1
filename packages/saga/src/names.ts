/** The orders subgraph's exchange, which carries every saga command (docs/ARCHITECTURE.md, "Order saga"). */
export const SAGA_COMMAND_EXCHANGE = 'radiata.orders';

/** One segment of a routing key: a participant, an action or a result (no dots, no wildcards). */
const SEGMENT = /^[a-z][a-z0-9-]*$/;

export function checkSegment(what: string, value: string): void {
  if (!SEGMENT.test(value)) throw new TypeError(`saga ${what} "${value}" must match ${SEGMENT}`);
}

/** `orders.saga.<participant>.<action>`: the routing key of a command, e.g. `orders.saga.catalog.reserve`. */
export const commandRoutingKey = (participant: string, action: string): string =>
  `orders.saga.${participant}.${action}`;

/** `<participant>.saga.<result>`: the routing key of a participant's reply, e.g. `catalog.saga.reserved`. */
export const replyRoutingKey = (participant: string, result: string): string => `${participant}.saga.${result}`;

/** `radiata.<participant>`: the participant's own exchange, which its outbox publishes replies to. */
export const participantExchange = (participant: string): string => `radiata.${participant}`;

/** `<participant>.saga-commands`: the participant's command queue, also its consumer name in the inbox. */
export const commandQueueOf = (participant: string): string => `${participant}.saga-commands`;
