/** What happens when a consumer falls `maxBuffered` events behind. */
export type EventStreamOverflow = 'drop-oldest' | 'error';

export interface EventStreamOptions {
  /** Ends the stream (cleanly, like `return()`) when aborted. */
  readonly signal?: AbortSignal;
  /** Events kept for a consumer that is behind; default 100. */
  readonly maxBuffered?: number;
  /**
   * `'drop-oldest'` (default) keeps the newest `maxBuffered` events: right for state feeds
   * (prices, countdowns, statuses) where only the latest value matters. `'error'` stops
   * listening and, once the buffered events are consumed, fails the stream with an
   * EventStreamOverflowError: for feeds where a gap would be wrong.
   */
  readonly overflow?: EventStreamOverflow;
}

export class EventStreamOverflowError extends Error {
  constructor(readonly maxBuffered: number) {
    super(`event stream overflowed: the consumer fell more than ${maxBuffered} events behind`);
    this.name = 'EventStreamOverflowError';
  }
}

interface Waiter<T> {
  resolve(result: IteratorResult<T, undefined>): void;
  reject(error: unknown): void;
}

/**
 * Turns a push source into an async iterator for a `subscribe` resolver.
 *
 * `subscribe` is called at once with `push` (events pushed before the first `next()` are
 * buffered) and `fail` (ends the stream with an error, after what is buffered), and returns the
 * function that stops listening; that function runs exactly once, when the stream ends for any
 * reason: `return()` (the client unsubscribed or disconnected), `throw()`, `fail`, the signal,
 * or an overflow in `'error'` mode.
 *
 * Hand-written rather than an `async function*`: `return()` on an async generator that is
 * waiting on an `await` is queued until that await settles, so a subscription idle on a quiet
 * channel would never release its listener. Here `return()` settles a pending `next()` at once.
 */
export function eventStream<T>(
  subscribe: (push: (event: T) => void, fail: (error: Error) => void) => () => void,
  options: EventStreamOptions = {},
): AsyncIterableIterator<T, undefined> & {
  return(): Promise<IteratorResult<T, undefined>>;
  throw(error?: unknown): Promise<IteratorResult<T, undefined>>;
} {
  const maxBuffered = options.maxBuffered ?? 100;
  if (!Number.isInteger(maxBuffered) || maxBuffered < 1) throw new RangeError('maxBuffered must be a positive integer');
  const overflow = options.overflow ?? 'drop-oldest';

  const buffer: T[] = [];
  const waiters: Waiter<T>[] = [];
  let ended = false;
  let failure: Error | undefined;
  let unsubscribe: (() => void) | undefined;

  const DONE: IteratorResult<T, undefined> = { value: undefined, done: true };

  const onAbort = () => end();

  /** Stops listening (once) and settles every waiting `next()`. */
  function end(error?: Error): void {
    if (ended) return;
    ended = true;
    failure = error;
    options.signal?.removeEventListener('abort', onAbort);
    const stop = unsubscribe;
    unsubscribe = undefined;
    stop?.();
    // Waiters exist only while the buffer is empty: the first gets the failure, if any.
    for (const waiter of waiters.splice(0)) {
      if (failure) {
        waiter.reject(failure);
        failure = undefined;
      } else {
        waiter.resolve(DONE);
      }
    }
  }

  const push = (event: T): void => {
    if (ended) return;
    const waiter = waiters.shift();
    if (waiter) {
      waiter.resolve({ value: event, done: false });
      return;
    }
    if (buffer.length >= maxBuffered) {
      if (overflow === 'error') {
        end(new EventStreamOverflowError(maxBuffered));
        return;
      }
      buffer.shift();
    }
    buffer.push(event);
  };
  /** Ends the stream with `error`, given to the consumer once it has read what is buffered. */
  const fail = (error: Error): void => end(error);

  if (options.signal?.aborted) {
    ended = true;
  } else {
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let stop: () => void;
    try {
      stop = subscribe(push, fail);
    } catch (error) {
      ended = true;
      options.signal?.removeEventListener('abort', onAbort);
      throw error;
    }
    if (ended) stop();
    else unsubscribe = stop;
  }

  const iterator = {
    next(): Promise<IteratorResult<T, undefined>> {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as T, done: false });
      if (ended) {
        if (failure) {
          const error = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        return Promise.resolve(DONE);
      }
      return new Promise<IteratorResult<T, undefined>>((resolve, reject) => waiters.push({ resolve, reject }));
    },
    return(): Promise<IteratorResult<T, undefined>> {
      buffer.length = 0;
      end();
      failure = undefined;
      return Promise.resolve(DONE);
    },
    throw(error?: unknown): Promise<IteratorResult<T, undefined>> {
      buffer.length = 0;
      end();
      failure = undefined;
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
