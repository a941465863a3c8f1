export { failpoint } from './failpoints.js';
export { createLogger, type Logger } from './logger.js';
export { createMetrics, type Metrics } from './metrics.js';
export { clientRequestIdFrom, newRequestId, REQUEST_ID_HEADER } from './request-id.js';
