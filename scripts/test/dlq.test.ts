import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testNamespace } from '@radiata/testing';
import { CONSUMER_QUEUES, parseDlqCommand } from '../lib/dlq.js';
import { bin, repoRoot } from '../lib/paths.js';

describe('parseDlqCommand', () => {
  it('lists every queue, or one queue with a limit', () => {
    expect(parseDlqCommand(['list'])).toEqual({ action: 'list', queue: undefined, limit: 20 });
    expect(parseDlqCommand(['list', 'catalog.user-roles', '--limit', '5'])).toEqual({
      action: 'list',
      queue: 'catalog.user-roles',
      limit: 5,
    });
  });

  it('replays all or the given ids of one queue', () => {
    expect(parseDlqCommand(['replay', 'payments.orders', '--all'])).toEqual({
      action: 'replay',
      queue: 'payments.orders',
      selection: { all: true },
    });
    expect(parseDlqCommand(['replay', '--id', 'a', 'payments.orders', '--id', 'b'])).toEqual({
      action: 'replay',
      queue: 'payments.orders',
      selection: { messageIds: ['a', 'b'] },
    });
  });

  it.each([
    [['replay', 'payments.orders'], /either --all or --id/],
    [['replay', 'payments.orders', '--all', '--id', 'a'], /either --all or --id/],
    [['replay', '--all'], /which queue/],
    [['replay', 'payments.orders', '--all', '--limit', '3'], /--limit is for dlq:list/],
    [['list', 'a', 'b'], /one queue at most/],
    [['list', '--all'], /--all and --id are for dlq:replay/],
    [['list', '--limit', '0'], /positive integer/],
    [['list', '--limt', '3'], /--limt/],
    [['purge'], /unknown action purge/],
  ])('refuses %j', (args, message) => {
    expect(() => parseDlqCommand(args)).toThrow(message);
  });
});

describe('CONSUMER_QUEUES', () => {
  it('names the queue of every startEventConsumer call in the subgraphs, and every saga participant', () => {
    const queues: string[] = [];
    for (const subgraph of readdirSync(path.join(repoRoot, 'subgraphs'))) {
      const src = path.join(repoRoot, 'subgraphs', subgraph, 'src');
      const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => readFileSync(path.join(src, file), 'utf8'));
      for (const text of files.filter((file) => file.includes('startEventConsumer({'))) {
        for (const [, constant] of text.matchAll(/^\s+queue: (\w+),$/gm)) {
          const definitions = files.flatMap((file) => [
            ...file.matchAll(new RegExp(`export const ${constant} = '([^']+)'`, 'g')),
          ]);
          expect(definitions).toHaveLength(1);
          queues.push(definitions[0]?.[1] as string);
        }
      }
    }
    // startSagaParticipant consumes `<participant>.saga-commands` (commandQueueOf in @radiata/saga).
    for (const subgraph of readdirSync(path.join(repoRoot, 'subgraphs'))) {
      const src = path.join(repoRoot, 'subgraphs', subgraph, 'src');
      const participates = readdirSync(src, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .some((file) => readFileSync(path.join(src, file), 'utf8').includes('startSagaParticipant('));
      if (participates) queues.push(`${subgraph}.saga-commands`);
    }
    expect(queues.sort()).toEqual([...CONSUMER_QUEUES].sort());
  });
});

describe('npm run dlq:list', () => {
  it('counts the dead letters of every consumer queue, and says which were never declared', () => {
    const result = spawnSync(bin('tsx'), ['--conditions=radiata-source', 'scripts/dlq.ts', 'list'], {
      cwd: repoRoot,
      encoding: 'utf8',
      // A namespace of its own: no consumer queue exists there.
      env: { ...process.env, RABBITMQ_NAMESPACE: testNamespace().rabbitmq, NO_COLOR: '1' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const queue of CONSUMER_QUEUES) {
      expect(result.stdout).toMatch(new RegExp(`^  ${queue.replaceAll('.', '\\.')} +no dead-letter queue`, 'm'));
    }
  });

  it('exits 1 with the usage on bad arguments', () => {
    const result = spawnSync(
      bin('tsx'),
      ['--conditions=radiata-source', 'scripts/dlq.ts', 'replay', 'payments.orders'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('give either --all or --id');
    expect(result.stderr).toContain('usage: npm run dlq:list');
  });
});
