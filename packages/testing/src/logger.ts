import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@radiata/observability';
import { pino } from 'pino';

/** Silent unless TEST_LOG_LEVEL asks for output (e.g. TEST_LOG_LEVEL=debug npm test). */
export const testLogger = (service: string): Logger => createLogger(service, process.env.TEST_LOG_LEVEL ?? 'silent');

/** A real pino logger whose JSON lines are kept for assertions. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}
