import { createLogger, type Logger } from '@radiata/observability';

/** Silent unless TEST_LOG_LEVEL asks for output (e.g. TEST_LOG_LEVEL=debug npm test). */
export const testLogger = (service: string): Logger => createLogger(service, process.env.TEST_LOG_LEVEL ?? 'silent');
