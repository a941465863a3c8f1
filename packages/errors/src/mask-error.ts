import type { GraphQLFormattedError } from 'graphql';
import { PUBLIC_ERROR_CODES } from './codes.js';

/**
 * Extensions a client may see besides `code`: field problems, when to retry, and why a FORBIDDEN
 * wallet PIN check failed (`reason` WRONG_PIN with `attemptsLeft`, or WALLET_LOCKED with `lockedUntil`), and
 * why a CONFLICT refused (`reasons`, e.g. what keeps an account from being deleted).
 */
const PUBLIC_EXTENSIONS = [
  'problems',
  'retryAfterSeconds',
  'reason',
  'attemptsLeft',
  'lockedUntil',
  'reasons',
] as const;

/**
 * What a client sees of an error: public codes keep their message and public details;
 * everything else (bugs, database errors, upstream failures) becomes a generic
 * INTERNAL_SERVER_ERROR. Stack traces and other extensions never leave the process.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  if (code === undefined || !PUBLIC_ERROR_CODES.has(code)) {
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  }
  const extensions: Record<string, unknown> = { code };
  for (const key of PUBLIC_EXTENSIONS) {
    if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
  }
  return {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}
