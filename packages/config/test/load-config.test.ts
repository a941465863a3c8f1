import { z } from 'zod';
import { ConfigError, env, loadConfig } from '../src/index.js';

const schema = z.object({
  PORT: env.port(4001),
  DATABASE_URL: env.postgresUrl('radiata_users'),
  JWT_SECRET: env.secret,
  INTROSPECTION: env.boolean(false),
});

describe('loadConfig', () => {
  it('applies defaults that point at local services', () => {
    const config = loadConfig('users', schema, { JWT_SECRET: 'x'.repeat(32) });
    expect(config).toEqual({
      PORT: 4001,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/radiata_users',
      JWT_SECRET: 'x'.repeat(32),
      INTROSPECTION: false,
    });
  });

  it('names every missing or malformed variable in one error', () => {
    let error: unknown;
    try {
      loadConfig('users', schema, { PORT: 'eighty', DATABASE_URL: 'mysql://x', INTROSPECTION: 'yes' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    expect(message).toContain('PORT is malformed');
    expect(message).toContain('DATABASE_URL is malformed: must be a URL starting with postgres:// or postgresql://');
    expect(message).toContain('JWT_SECRET is missing');
    expect(message).toContain('INTROSPECTION is malformed: must be true or false');
  });

  it('rejects a short secret', () => {
    expect(() => loadConfig('gateway', schema, { JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET is malformed: must be at least 32/,
    );
  });
});

describe('env.optionalBoolean', () => {
  const flags = z.object({ SANDBOX: env.optionalBoolean });
  it('leaves an unset flag undefined, so the service can choose its default', () => {
    expect(loadConfig('gateway', flags, {}).SANDBOX).toBeUndefined();
    expect(loadConfig('gateway', flags, { SANDBOX: 'true' }).SANDBOX).toBe(true);
    expect(loadConfig('gateway', flags, { SANDBOX: '0' }).SANDBOX).toBe(false);
    expect(() => loadConfig('gateway', flags, { SANDBOX: 'yes' })).toThrow(ConfigError);
  });
});
