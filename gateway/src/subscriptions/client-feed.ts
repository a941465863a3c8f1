import type { ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import type { SharedEvent } from './shared-subscriptions.js';

export interface ClientFeedOptions {
  readonly socket: WebSocket;
  /** The client's id of this operation (graphql-transport-ws `subscribe` message). */
  readonly id: string;
  /** Bytes the socket may hold unsent; past this the client is too slow (see ClientFeed.write). */
  readonly maxBufferedBytes: number;
  /** Called once when the client is found too slow: the caller closes the connection. */
  readonly onSlow: () => void;
  /** Called once when the feed ends, however it ends (completed, failed, the client left). */
  readonly onEnd: () => void;
}

const DONE: IteratorResult<never, undefined> = { value: undefined, done: true };

/**
 * One client subscription, as graphql-ws iterates it. Events are not yielded through graphql-ws
 * (it would serialize every client's message and wait for each write before taking the next) but
 * written straight to the socket: a `next` frame around the event's JSON, serialized once for all
 * the clients sharing it. A client whose socket keeps more than `maxBufferedBytes` unsent is too
 * slow: it is dropped, and nobody else waits for it or pays memory for it. The iterator itself only
 * settles: done when the subscription completes (graphql-ws then sends `complete`), rejected with
 * the error that ends it (graphql-ws sends `error`); frames written before stay before them, since
 * one socket writes in order.
 */
export class ClientFeed implements AsyncIterableIterator<ExecutionResult> {
  private readonly prefix: string;
  private ended = false;
  private failure: Error | undefined;
  private waiting:
    | { resolve(result: IteratorResult<never, undefined>): void; reject(error: unknown): void }
    | undefined;

  constructor(private readonly options: ClientFeedOptions) {
    this.prefix = `{"id":${JSON.stringify(options.id)},"type":"next","payload":`;
  }

  /** Writes one event (unless the feed ended or the client is too slow). */
  write(event: SharedEvent): void {
    if (this.ended) return;
    const { socket } = this.options;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.end();
      this.options.onSlow();
      return;
    }
    socket.send(`${this.prefix}${event.json}}`);
  }

  /** Ends the feed cleanly: graphql-ws sends `complete`. */
  complete(): void {
    this.end();
  }

  /** Ends the feed with `error`: graphql-ws sends it (see onError) as an `error` message. */
  fail(error: Error): void {
    this.end(error);
  }

  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (this.ended) {
      const failure = this.failure;
      this.failure = undefined;
      return failure ? Promise.reject(failure) : Promise.resolve(DONE);
    }
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** The client sent `complete`, or its connection closed. */
  return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.end();
    this.failure = undefined;
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.end();
    this.failure = undefined;
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) {
      this.failure = error;
    } else if (error) {
      waiting.reject(error);
    } else {
      waiting.resolve(DONE);
    }
  }
}
