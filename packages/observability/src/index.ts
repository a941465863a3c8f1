export { createLogger, type Logger } from './logger.js';
export { createMetrics, type Metrics } from './metrics.js';
export { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';
