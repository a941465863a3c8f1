import type { Viewer } from '@radiata/auth-context';
import { forbidden } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import { eventStream, type RedisFanout, requireViewer } from '@radiata/service-runtime';
import type { ClaimUpdate } from './claims.js';
import type { Issues } from './issues.js';

/**
 * The final result of a claim, for its claimer: delivered once the claim is persisted (at once
 * if it already is), after which the stream ends. Anyone else following it gets FORBIDDEN then
 * (until the claim is persisted nobody, not even Redis, knows whose it is). Listens before it looks, so a claim persisted
 * in between is not missed (Redis pub/sub delivers at most once, to whoever listens then).
 */
export class ClaimResults {
  constructor(
    private readonly fanout: RedisFanout,
    private readonly channel: string,
    private readonly issues: Issues,
    private readonly logger: Logger,
  ) {}

  /** Signed-in viewers only (UNAUTHENTICATED otherwise, before anything is listened to). */
  follow(viewer: Viewer | null, claimId: string): AsyncIterableIterator<ClaimUpdate> {
    const claimer = requireViewer(viewer);
    const finished = new AbortController();
    return eventStream<ClaimUpdate>(
      (push, fail) => {
        const deliver = async () => {
          if (finished.signal.aborted) return;
          try {
            const issue = await this.issues.byClaimId(claimId);
            if (!issue || finished.signal.aborted) return;
            if (issue.userId === claimer.id) push({ claimId, status: 'ISSUED', issue });
            else fail(forbidden('This claim is not yours'));
            finished.abort();
          } catch (error) {
            this.logger.error({ err: error, claimId }, 'reading a claim result failed');
          }
        };
        const unlisten = this.fanout.listen(this.channel, () => void deliver(), { key: claimId });
        void unlisten.ready.then(deliver, (error: unknown) =>
          this.logger.error({ err: error, claimId }, 'subscribing to claim results failed'),
        );
        return unlisten;
      },
      { signal: finished.signal },
    );
  }
}
