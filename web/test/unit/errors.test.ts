// What a shopper reads when the API says no (src/lib/errors.ts): each extensions.code the API sends
// (see @radiata/errors) in words, BAD_USER_INPUT's problems per field, and what a form shows above
// its button. The errors below have the shapes and messages the subgraphs really send.
import { CombinedError } from '@urql/core';
import { explain, formError, problemFor } from '../../src/lib/errors.js';

/** An answer carrying one GraphQL error, as urql hands it to a page. */
const answered = (message: string, extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [{ message, extensions }] });

/** BAD_USER_INPUT as validateInput (@radiata/service-runtime) writes it: "field: message; …" and the problems. */
function badUserInput(problems: { field: string; message: string }[]) {
  const message = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
  return answered(message, { code: 'BAD_USER_INPUT', problems });
}

describe('explain', () => {
  test('no error: nothing to say', () => {
    expect(explain(undefined)).toBeUndefined();
  });

  test('the gateway cannot be reached', () => {
    const explained = explain(new CombinedError({ networkError: new TypeError('Failed to fetch') }));
    expect(explained).toEqual({
      message: 'We cannot reach the shop right now. Check your connection and try again.',
      code: 'NETWORK',
      problems: [],
      retryAfterSeconds: undefined,
      serverMessage: '',
    });
  });

  test.each([
    [7, 'Too many tries. Try again in 7 s.'],
    [2.2, 'Too many tries. Try again in 3 s.'],
    [1, 'Too many tries. Try again in a second.'],
    [undefined, 'Too many tries. Try again in a moment.'],
  ])('RATE_LIMITED with retryAfterSeconds %p: "%s"', (retryAfterSeconds, message) => {
    const explained = explain(
      answered('Too many failed log-ins: try again later', { code: 'RATE_LIMITED', retryAfterSeconds }),
    );
    expect(explained?.message).toBe(message);
    expect(explained?.code).toBe('RATE_LIMITED');
    expect(explained?.retryAfterSeconds).toBe(retryAfterSeconds);
  });

  test('SERVICE_UNAVAILABLE says nothing changed and when to try again', () => {
    const explained = explain(
      answered('Temporarily unavailable: try again shortly', { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 4 }),
    );
    expect(explained?.message).toBe('The shop is very busy. Nothing was changed: try again in 4 s.');
    expect(explained?.retryAfterSeconds).toBe(4);
  });

  test('UNAUTHENTICATED asks to log in', () => {
    expect(explain(answered('Authentication required', { code: 'UNAUTHENTICATED' }))?.message).toBe(
      'Please log in to do that (your session may have ended).',
    );
  });

  test.each([
    ['WRONG_PASSWORD', 'That password is not right.'],
    ['WRONG_PIN', 'That PIN is not right.'],
    ['WALLET_LOCKED', 'Your wallet is locked after too many wrong PINs. Try again later.'],
    [undefined, "You can't do that with this account."],
  ])('FORBIDDEN with reason %p: "%s"', (reason, message) => {
    const explained = explain(
      answered('You are not allowed to do this', { code: 'FORBIDDEN', ...(reason ? { reason } : {}) }),
    );
    expect(explained?.message).toBe(message);
    expect(explained?.serverMessage).toBe('You are not allowed to do this');
  });

  test("NOT_FOUND shows the server's sentence, else a general one", () => {
    expect(explain(answered('Product not found', { code: 'NOT_FOUND' }))?.message).toBe('Product not found');
    expect(explain(answered('', { code: 'NOT_FOUND' }))?.message).toBe(
      'We could not find that. It may have been removed.',
    );
  });

  test('BAD_USER_INPUT with problems: each field keeps its own, the form says to check them', () => {
    const explained = explain(
      badUserInput([
        { field: 'input.password', message: 'must be at least 8 characters' },
        { field: 'input.email', message: 'must be a valid email address' },
      ]),
    );
    expect(explained?.message).toBe('Please check the highlighted fields.');
    expect(explained?.code).toBe('BAD_USER_INPUT');
    expect(explained?.problems).toEqual([
      { field: 'input.password', message: 'must be at least 8 characters' },
      { field: 'input.email', message: 'must be a valid email address' },
    ]);
    expect(problemFor(explained, 'password')).toBe('must be at least 8 characters');
    expect(problemFor(explained, 'email')).toBe('must be a valid email address');
    expect(problemFor(explained, 'name')).toBeUndefined();
  });

  test('a problem of an argument of its own (not in `input`) is found by its name too', () => {
    const explained = explain(badUserInput([{ field: 'newPassword', message: 'must differ from the current one' }]));
    expect(problemFor(explained, 'newPassword')).toBe('must differ from the current one');
  });

  test('BAD_USER_INPUT without problems shows the sentence the server wrote for people', () => {
    const message = 'This password reset link is invalid, used or expired: ask for a new one';
    expect(explain(answered(message, { code: 'BAD_USER_INPUT' }))?.message).toBe(message);
    expect(explain(answered('', { code: 'BAD_USER_INPUT' }))?.message).toBe('Please check what you entered.');
  });

  test('malformed problems are left out', () => {
    const explained = explain(
      answered('input.pin: must be 6 digits', {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'input.pin', message: 'must be 6 digits' }, { field: 'input.amount' }, 'amount', null],
      }),
    );
    expect(explained?.problems).toEqual([{ field: 'input.pin', message: 'must be 6 digits' }]);
  });

  test("CONFLICT shows the server's reason as written, whatever extensions say more", () => {
    const message = 'This business registration number belongs to another seller or a pending application';
    expect(explain(answered(message, { code: 'CONFLICT' }))?.message).toBe(message);
    const wallet = explain(
      answered('The wallet balance is too low for this payment', {
        code: 'CONFLICT',
        reasons: [{ code: 'WALLET_BALANCE', amount: 12_000 }],
      }),
    );
    expect(wallet?.message).toBe('The wallet balance is too low for this payment');
    expect(explain(answered('', { code: 'CONFLICT' }))?.message).toBe('That cannot be done right now.');
  });

  test('an internal error or an unknown code never shows the server message', () => {
    for (const extensions of [{ code: 'INTERNAL_SERVER_ERROR' }, { code: 'SOMETHING_NEW' }, {}]) {
      const explained = explain(answered('Unexpected error value: relation "users" does not exist', extensions));
      expect(explained?.message).toBe('Something went wrong on our side. Please try again.');
    }
  });

  test('the first error of several speaks', () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } },
        { message: 'Product not found', extensions: { code: 'NOT_FOUND' } },
      ],
    });
    expect(explain(error)?.code).toBe('UNAUTHENTICATED');
  });
});

describe('formError', () => {
  const signUpProblems = badUserInput([
    { field: 'input.password', message: 'must contain a letter and a digit' },
    { field: 'input.locale', message: 'must be KO or EN' },
    { field: 'input.contact.phone', message: 'must be a Korean phone number like 010-1234-5678' },
  ]);

  test('nothing above the button when every problem is shown at its field', () => {
    const explained = explain(signUpProblems);
    expect(formError(explained, ['password', 'locale', 'contact.phone'])).toBeUndefined();
  });

  test('the problems of fields the form does not show, in words', () => {
    const explained = explain(signUpProblems);
    const shown = formError(explained, ['password']);
    expect(shown?.message).toBe(
      'locale must be KO or EN; contact.phone must be a Korean phone number like 010-1234-5678',
    );
    expect(shown?.code).toBe('BAD_USER_INPUT');
  });

  test("the server's own sentence when it wrote one for people", () => {
    const message = 'This password reset link is invalid, used or expired: ask for a new one';
    const explained = explain(
      answered(message, { code: 'BAD_USER_INPUT', problems: [{ field: 'token', message: 'is invalid' }] }),
    );
    expect(formError(explained, ['newPassword'])?.message).toBe(message);
  });

  test('other errors pass through as they are', () => {
    const conflict = explain(answered('You already have a pending seller application', { code: 'CONFLICT' }));
    expect(formError(conflict, ['businessName'])).toBe(conflict);
    expect(formError(undefined, [])).toBeUndefined();
  });
});
