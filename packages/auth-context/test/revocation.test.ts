import { isRevoked, RevocationKeyspace, revocationTtlMs, type VerifiedAccessToken } from '../src/index.js';

const token: VerifiedAccessToken = {
  viewer: { id: 'user-1', role: 'SELLER' },
  sessionId: 'session-1',
  issuedAt: new Date(1_764_000_000_123),
  expiresAt: new Date(1_764_000_900_000),
};

describe('revocation keys', () => {
  it('puts both keys of a token under the prefix and one hash tag per user', () => {
    const keys = new RevocationKeyspace('test:run-7:');
    expect(keys.keysOf(token)).toEqual([
      'test:run-7:{auth:user-1}:session:session-1',
      'test:run-7:{auth:user-1}:not-before',
    ]);
    expect(keys.revokedSession('user-1', 'session-1')).toBe(keys.keysOf(token)[0]);
    expect(keys.notBefore('user-1')).toBe(keys.keysOf(token)[1]);
  });

  it('refuses a prefix with braces (it would change the hash tag)', () => {
    expect(() => new RevocationKeyspace('a{b}:')).toThrow(/braces/);
  });

  it('keeps a revocation until every token it refuses has expired', () => {
    expect(revocationTtlMs(900)).toBeGreaterThan(900_000 + 5_000);
  });
});

describe('isRevoked', () => {
  it('passes a token with neither key set', () => {
    expect(isRevoked(token, [null, null])).toBe(false);
  });

  it('refuses a token of an ended session', () => {
    expect(isRevoked(token, ['1', null])).toBe(true);
  });

  it('refuses tokens issued before the user not-before, to the millisecond', () => {
    const issued = token.issuedAt.getTime();
    expect(isRevoked(token, [null, String(issued + 1)])).toBe(true);
    expect(isRevoked(token, [null, String(issued)])).toBe(false);
    expect(isRevoked(token, [null, String(issued - 1)])).toBe(false);
  });

  it('refuses when the not-before is unreadable', () => {
    expect(isRevoked(token, [null, 'garbage'])).toBe(true);
  });
});
