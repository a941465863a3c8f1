export type { Channel, ConsumeMessage } from 'amqplib';
export { connectRabbit, type Rabbit, type RabbitOptions, type TopologySetup } from './connect-rabbit.js';
export type { ConsumeOptions, MessageHandler } from './consumer.js';
export { PublishError, type PublishFailure } from './errors.js';
export type { PublishOptions } from './publisher.js';
