/**
 * The topic exchange orders publishes to: its saga commands (`orders.saga.<participant>.<action>`)
 * and its events (`orders.order.awaiting-payment`, `orders.order.cancelled`), all through the
 * outbox in the transaction of the decision that sends them (SagaStore).
 */
export const ORDERS_EXCHANGE = 'radiata.orders';
