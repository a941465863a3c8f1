import { Writable } from 'node:stream';
import { createLogger, createMetrics, requestIdFrom } from '../src/index.js';

describe('requestIdFrom', () => {
  it('keeps a well-formed caller id', () => {
    expect(requestIdFrom('abc-123:x.y_z')).toBe('abc-123:x.y_z');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });

  it('replaces a missing or unsafe id with a fresh UUID (no log injection)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'line\nbreak', 'a'.repeat(129), '<script>', 'spaces here']) {
      const id = requestIdFrom(bad);
      expect(id).toMatch(uuid);
      expect(id).not.toBe(bad);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('createLogger', () => {
  function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, stream };
  }

  it('writes JSON with the service name and redacts credentials', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('users', 'info', stream);
    logger.info(
      {
        input: { email: 'a@b.c', password: 'hunter2-secret' },
        result: { accessToken: 'jwt.value.here', refreshToken: 'refresh-secret' },
        req: { headers: { authorization: 'Bearer abc', 'x-radiata-context': 'signed', accept: 'json' } },
      },
      'signed up',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    const line = lines[0] as {
      input: unknown;
      result: unknown;
      req: { headers: unknown };
    };
    expect(line).toMatchObject({ service: 'users', msg: 'signed up', level: 30 });
    expect(line.input).toEqual({ email: 'a@b.c', password: '[redacted]' });
    expect(line.result).toEqual({ accessToken: '[redacted]', refreshToken: '[redacted]' });
    expect(line.req.headers).toEqual({
      authorization: '[redacted]',
      'x-radiata-context': '[redacted]',
      accept: 'json',
    });
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|refresh-secret|jwt\.value|Bearer abc/);
  });

  it('drops records below the configured level', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('users', 'warn', stream);
    logger.info('hidden');
    logger.warn('shown');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => line.msg)).toEqual(['shown']);
  });
});

describe('createMetrics', () => {
  it('exposes GraphQL metrics labelled with the service, in a registry of its own', async () => {
    const users = createMetrics('users');
    const gateway = createMetrics('gateway');
    users.operationDuration.observe({ operation: 'Me', outcome: 'ok' }, 0.003);
    users.errors.inc({ code: 'FORBIDDEN' });

    const text = await users.registry.metrics();
    expect(
      sample(text, 'graphql_operation_duration_seconds_count', { service: 'users', operation: 'Me', outcome: 'ok' }),
    ).toBe(1);
    expect(sample(text, 'graphql_errors_total', { service: 'users', code: 'FORBIDDEN' })).toBe(1);
    expect(text).toMatch(/process_cpu_seconds_total\{service="users"\}/);
    expect(await gateway.registry.metrics()).not.toMatch(/operation="Me"/);
  });
});

/** The value of the sample `name{…}` carrying every label of `labels` (in any order). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}
