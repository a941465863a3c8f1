import { deleteBrokerNames } from '@radiata/testing';

/**
 * A RabbitMQ namespace of the benchmark's own (RABBITMQ_NAMESPACE of every subgraph it starts):
 * its events reach none of a development stack's consumers, and none of theirs reach it.
 */
export function benchBrokerNamespace(subgraphs: readonly string[]): {
  readonly namespace: string;
  /** Deletes the run's exchanges (one per subgraph) and the subgraphs' queues (timesales', catalog's, payments'). */
  readonly cleanUp: () => Promise<void>;
} {
  const namespace = `bench.${process.pid}.`;
  return {
    namespace,
    cleanUp: () =>
      deleteBrokerNames({
        exchanges: subgraphs.map((name) => `${namespace}radiata.${name}`),
        queues: ['timesales.catalog-products', 'catalog.user-roles', 'payments.orders'].flatMap((queue) => [
          namespace + queue,
          `${namespace}${queue}.dead-letter`,
        ]),
      }),
  };
}
