import { maskError } from '../src/index.js';

describe('maskError', () => {
  it('keeps public codes with their message and public details only', () => {
    const masked = maskError({
      message: 'Invalid input',
      path: ['signUp'],
      extensions: {
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'input.email', message: 'bad' }],
        stacktrace: ['at x'],
      },
    });
    expect(masked).toEqual({
      message: 'Invalid input',
      path: ['signUp'],
      extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'input.email', message: 'bad' }] },
    });
  });

  it('keeps why a wallet PIN check was refused, and nothing else', () => {
    const masked = maskError({
      message: 'The wallet is locked',
      extensions: { code: 'FORBIDDEN', reason: 'WALLET_LOCKED', lockedUntil: '2026-12-01T07:30:00.000Z', pinHash: 'x' },
    });
    expect(masked.extensions).toEqual({
      code: 'FORBIDDEN',
      reason: 'WALLET_LOCKED',
      lockedUntil: '2026-12-01T07:30:00.000Z',
    });
    const wrong = maskError({
      message: 'Wrong PIN',
      extensions: { code: 'FORBIDDEN', reason: 'WRONG_PIN', attemptsLeft: 0 },
    });
    expect(wrong.extensions).toEqual({ code: 'FORBIDDEN', reason: 'WRONG_PIN', attemptsLeft: 0 });
  });

  it('keeps why a CONFLICT refused (reasons)', () => {
    const reasons = [
      { code: 'ORDERS_IN_FLIGHT', count: 2 },
      { code: 'WALLET_BALANCE', amount: 5000 },
    ];
    const masked = maskError({
      message: 'Your account cannot be deleted yet',
      extensions: { code: 'CONFLICT', reasons, userId: 'x' },
    });
    expect(masked.extensions).toEqual({ code: 'CONFLICT', reasons });
  });

  it('hides internal errors behind a generic message', () => {
    const masked = maskError({
      message: 'Invalid `prisma.user.create()` invocation: duplicate key value violates unique constraint',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['PrismaClientKnownRequestError: ...'] },
    });
    expect(masked).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('treats an error without a code as internal', () => {
    expect(maskError({ message: 'connect ECONNREFUSED 127.0.0.1:5432' }).message).toBe('Internal server error');
  });
});
