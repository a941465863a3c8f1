// `npm run dlq:list -- [queue]` and `npm run dlq:replay -- <queue> (--all | --id <messageId>…)`:
// the dead letters of the event consumers' queues (@radiata/inbox). Without a queue, dlq:list
// counts them for every consumer queue; with one, it shows them (left in place). dlq:replay moves
// them back to the consumer's queue once the cause is fixed: each keeps its messageId, so the
// consumer's inbox skips one it already applied. Reads RABBITMQ_URL and RABBITMQ_NAMESPACE (.env).
import { countDeadLetters, type DeadLetter, listDeadLetters, replayDeadLetters } from '@radiata/inbox';
import { CONSUMER_QUEUES, DLQ_USAGE, type DlqCommand, DlqUsageError, parseDlqCommand } from './lib/dlq.js';
import { loadLocalEnv } from './lib/env-file.js';
import { color, errorMessage, fail, redactUrl } from './lib/log.js';

let command: DlqCommand;
try {
  command = parseDlqCommand(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof DlqUsageError)) throw error;
  fail(`${error.message}\n${DLQ_USAGE}`);
}

loadLocalEnv({ generate: false });
const broker = {
  url: process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
  namespace: process.env.RABBITMQ_NAMESPACE ?? '',
};
const where = `${redactUrl(broker.url)}${broker.namespace ? ` (namespace ${broker.namespace})` : ''}`;
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

function show(deadLetter: DeadLetter, index: number): void {
  const { messageId, routingKey, exchange, reason, deaths, replays, firstDeathAt } = deadLetter;
  console.log(
    `${String(index + 1).padStart(3)}. ${messageId ?? color.red('(no messageId: cannot be replayed)')}  ${color.bold(routingKey)} ${color.dim(`from ${exchange || '(default exchange)'}`)}`,
  );
  const history = [
    reason ?? 'no death recorded',
    `dead-lettered ${plural(deaths, 'time')}`,
    firstDeathAt ? `first at ${firstDeathAt.toISOString()}` : undefined,
    replays > 0 ? `replayed ${plural(replays, 'time')} before` : undefined,
  ];
  console.log(`     ${history.filter(Boolean).join(', ')}`);
  console.log(`     ${color.dim(`${deadLetter.body}  (${deadLetter.bodyBytes} bytes)`)}`);
}

try {
  if (command.action === 'replay') {
    const { replayed, skipped, notFound } = await replayDeadLetters(broker, command.queue, command.selection);
    console.log(
      color.green(
        `replayed ${plural(replayed, 'dead letter')} into ${command.queue} on ${where}; the consumer applies each once`,
      ),
    );
    if (skipped > 0) {
      console.log(
        color.yellow(
          `left ${plural(skipped, 'dead letter')} without a messageId in place: the consumer can only refuse them`,
        ),
      );
    }
    if (notFound.length > 0) fail(`no dead letter carries ${notFound.join(', ')}`);
  } else if (command.queue === undefined) {
    console.log(`dead letters on ${where}`);
    const depths = await countDeadLetters(broker, CONSUMER_QUEUES);
    const width = Math.max(...CONSUMER_QUEUES.map((queue) => queue.length));
    for (const { queue, depth } of depths) {
      const shown =
        depth === undefined
          ? color.dim('no dead-letter queue (its consumer never ran here)')
          : depth > 0
            ? color.yellow(String(depth))
            : color.green('0');
      console.log(`  ${queue.padEnd(width)}  ${shown}`);
    }
    if (depths.some(({ depth }) => (depth ?? 0) > 0)) console.log(color.dim('\nsee them: npm run dlq:list -- <queue>'));
  } else {
    const { queue } = command;
    const { depth, deadLetters } = await listDeadLetters(broker, queue, { limit: command.limit });
    const shown = depth > deadLetters.length ? `, the first ${deadLetters.length}:` : '';
    console.log(`${plural(depth, 'dead letter')} for ${queue} on ${where}${shown}`);
    deadLetters.forEach(show);
    if (depth > 0) {
      console.log(
        color.dim(
          `\nThe consumer's log says why each was refused (search for its messageId). Once the cause is fixed:\n  npm run dlq:replay -- ${queue} --all   (or --id <messageId>…)`,
        ),
      );
    }
  }
} catch (error) {
  const message = errorMessage(error);
  const unreachable = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|timed? ?out/i.test(message);
  fail(`dlq:${command.action}: ${message}${unreachable ? ' (is RabbitMQ running? `npm run services:up`)' : ''}`);
}
