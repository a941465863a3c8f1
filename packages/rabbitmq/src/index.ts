export type { Channel, ConsumeMessage } from 'amqplib';
export {
  type BrokerNames,
  connectRabbit,
  type Rabbit,
  type RabbitOptions,
  type TopologySetup,
} from './connect-rabbit.js';
export type { ConsumeOptions, MessageHandler } from './consumer.js';
export { PublishError, type PublishFailure, RejectMessage } from './errors.js';
export type { PublishOptions } from './publisher.js';
