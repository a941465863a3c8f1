import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs on stdout (or `destination`), one base field naming the service; secrets never logged. */
export function createLogger(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-radiata-context"]',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.pin',
        '*.currentPin',
        '*.newPin',
        '*.secretKey',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
