import { parseArgs } from 'node:util';

/**
 * Every event consumer queue (`startEventConsumer`'s `queue`), whose dead letters `npm run
 * dlq:list` counts when given no queue. A new consumer must be added here (scripts/test/dlq.test.ts
 * fails until it is). The broker's management API could list them instead, but the local broker
 * may run without the management plugin.
 */
export const CONSUMER_QUEUES = [
  'timesales.catalog-products',
  'catalog.user-roles',
  'payments.orders',
  'payments.catalog',
  'orders.user-addresses',
  'users.account-holds',
  'payments.users',
  // The order saga: each participant's commands, and the replies orders takes.
  'catalog.saga-commands',
  'timesales.saga-commands',
  'coupons.saga-commands',
  'users.saga-commands',
  'orders.saga-replies',
] as const;

export const DLQ_USAGE = [
  'usage: npm run dlq:list -- [queue] [--limit 20]',
  '       npm run dlq:replay -- <queue> (--all | --id <messageId> [--id <messageId>…])',
].join('\n');

export type DlqCommand =
  /** Without a queue: every consumer queue's dead-letter count. */
  | { readonly action: 'list'; readonly queue: string | undefined; readonly limit: number }
  | {
      readonly action: 'replay';
      readonly queue: string;
      readonly selection: { readonly messageIds: string[] } | { readonly all: true };
    };

export class DlqUsageError extends Error {
  override readonly name = 'DlqUsageError';
}

/** Reads `list …` or `replay …` (the action comes from the npm script); DlqUsageError when invalid. */
export function parseDlqCommand(args: readonly string[]): DlqCommand {
  const [action, ...rest] = args;
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (error) {
    throw new DlqUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new DlqUsageError(`one queue at most, got ${positionals.join(' ')}`);
  const [queue] = positionals;
  if (action === 'list') {
    if (values.all || values.id) throw new DlqUsageError('--all and --id are for dlq:replay');
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new DlqUsageError(`--limit must be a positive integer`);
    return { action, queue, limit };
  }
  if (action === 'replay') {
    if (!queue) throw new DlqUsageError('which queue?');
    if (values.limit !== undefined) throw new DlqUsageError('--limit is for dlq:list');
    const ids = values.id ?? [];
    if ((values.all ?? false) === ids.length > 0) throw new DlqUsageError('give either --all or --id <messageId>…');
    return { action, queue, selection: values.all ? { all: true } : { messageIds: ids } };
  }
  throw new DlqUsageError(`unknown action ${action ?? '(none)'}`);
}

const parseOptions = (args: readonly string[]) =>
  parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      all: { type: 'boolean' },
      id: { type: 'string', multiple: true },
      limit: { type: 'string' },
    },
  });
