// Errors in words a shopper understands. The API gives every error an extensions.code (and
// retryAfterSeconds for RATE_LIMITED and SERVICE_UNAVAILABLE, problems for BAD_USER_INPUT);
// messages written for people (CONFLICT's, BAD_USER_INPUT's problems) are shown as they are.
import type { CombinedError } from '@urql/core';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface Explained {
  /** One sentence for the shopper. */
  readonly message: string;
  readonly code: string | undefined;
  /** BAD_USER_INPUT: what is wrong with each field (`input.password`, …). */
  readonly problems: readonly FieldProblem[];
  readonly retryAfterSeconds: number | undefined;
  /** The server's own message (for BAD_USER_INPUT it may list fields: see formError). */
  readonly serverMessage: string;
}

const inSeconds = (seconds: number | undefined): string =>
  seconds === undefined ? 'in a moment' : seconds <= 1 ? 'in a second' : `in ${Math.ceil(seconds)} s`;

function isFieldProblem(value: unknown): value is FieldProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldProblem).field === 'string' &&
    typeof (value as FieldProblem).message === 'string'
  );
}

/** What went wrong, for people: `undefined` when there is no error. */
export function explain(error: CombinedError | undefined): Explained | undefined {
  if (!error) return undefined;
  if (error.networkError && error.graphQLErrors.length === 0) {
    return {
      message: 'We cannot reach the shop right now. Check your connection and try again.',
      code: 'NETWORK',
      problems: [],
      retryAfterSeconds: undefined,
      serverMessage: '',
    };
  }
  const first = error.graphQLErrors[0];
  const extensions = (first?.extensions ?? {}) as Record<string, unknown>;
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  const retry = typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : undefined;
  const problems = Array.isArray(extensions.problems) ? extensions.problems.filter(isFieldProblem) : [];
  const serverMessage = first?.message ?? '';
  const message = ((): string => {
    switch (code) {
      case 'RATE_LIMITED':
        return `Too many tries. Try again ${inSeconds(retry)}.`;
      case 'SERVICE_UNAVAILABLE':
        return `The shop is very busy. Nothing was changed: try again ${inSeconds(retry)}.`;
      case 'UNAUTHENTICATED':
        return 'Please log in to do that (your session may have ended).';
      case 'FORBIDDEN':
        if (extensions.reason === 'WRONG_PASSWORD') return 'That password is not right.';
        if (extensions.reason === 'WRONG_PIN') return 'That PIN is not right.';
        if (extensions.reason === 'WALLET_LOCKED')
          return 'Your wallet is locked after too many wrong PINs. Try again later.';
        return "You can't do that with this account.";
      case 'NOT_FOUND':
        return serverMessage || 'We could not find that. It may have been removed.';
      case 'BAD_USER_INPUT':
        return problems.length > 0
          ? 'Please check the highlighted fields.'
          : serverMessage || 'Please check what you entered.';
      case 'CONFLICT':
        return serverMessage || 'That cannot be done right now.';
      default:
        return 'Something went wrong on our side. Please try again.';
    }
  })();
  return { message, code, problems, retryAfterSeconds: retry, serverMessage };
}

const fieldName = (field: string): string => field.replace(/^input\./, '');

/**
 * The error to show above a form's button: none when every problem is shown at its own field
 * (`shownFields`); otherwise the others in words (the server's sentence when it wrote one for
 * people, e.g. an expired reset link, else "token: is invalid…" per problem).
 */
export function formError(explained: Explained | undefined, shownFields: readonly string[]): Explained | undefined {
  if (!explained || explained.problems.length === 0) return explained;
  const others = explained.problems.filter((problem) => !shownFields.includes(fieldName(problem.field)));
  if (others.length === 0) return undefined;
  const generated = /^[\w.[\]]+: /.test(explained.serverMessage);
  const message = generated
    ? others.map((problem) => `${fieldName(problem.field)} ${problem.message}`).join('; ')
    : explained.serverMessage;
  return { ...explained, message };
}

/** The problem reported for one input field (`input.email` or `email`), if any. */
export function problemFor(explained: Explained | undefined, field: string): string | undefined {
  return explained?.problems.find((problem) => fieldName(problem.field) === field)?.message;
}
