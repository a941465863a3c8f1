// A minimal graphql-transport-ws client on `ws` for the benchmarks: one WebSocket, the access
// token in `connection_init` (as a web app sends it), subscriptions by id. No retries and no
// reconnects: a closed connection ends its subscriptions, and the benchmark counts that as an error.
import WebSocket, { type RawData } from 'ws';

/** The payload of a `next` message. */
export interface NextPayload {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * One subscription's events. `until` reads them in order, each once, so a caller can wait for
 * one state and then the next.
 */
export class WsSubscription {
  private readonly events: NextPayload[] = [];
  private read = 0;
  private ended: string | undefined;
  private wake: () => void = () => {};

  constructor(private readonly stopper: () => void) {}

  /**
   * Resolves with what `pick` returns for the first unread event it does not return undefined
   * for; rejects when `pick` throws, when the subscription ends first or after `timeoutMs`.
   */
  async until<T>(pick: (payload: NextPayload) => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      while (this.read < this.events.length) {
        const picked = pick(this.events[this.read++]!);
        if (picked !== undefined) return picked;
      }
      if (this.ended !== undefined) throw new Error(`the subscription ended: ${this.ended}`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no awaited event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Completes the subscription (the server stops sending it). */
  stop(): void {
    if (this.ended === undefined) this.stopper();
    this.end('stopped');
  }

  /** @internal */
  push(payload: NextPayload): void {
    this.events.push(payload);
    this.wake();
  }

  /** @internal */
  end(why: string): void {
    this.ended ??= why;
    this.wake();
  }
}

export class GraphqlWsConnection {
  private readonly subscriptions = new Map<string, WsSubscription>();
  private sequence = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(data));
    socket.on('error', () => {}); // the close event says what happened
    socket.once('close', (code, reason) => {
      for (const subscription of this.subscriptions.values()) subscription.end(`connection closed ${code} ${reason}`);
      this.subscriptions.clear();
    });
  }

  /** Opens the connection and resolves once the server acknowledged `connection_init`. */
  static open(
    url: string,
    connectionParams: Record<string, unknown>,
    timeoutMs = 10_000,
  ): Promise<GraphqlWsConnection> {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`no connection_ack within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', fail);
      socket.once('close', (code, reason) => fail(new Error(`closed ${code} ${reason} before connection_ack`)));
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
      const acknowledged = (data: RawData) => {
        if ((JSON.parse(data.toString()) as { type: string }).type !== 'connection_ack') return;
        clearTimeout(timer);
        socket.off('message', acknowledged);
        socket.removeAllListeners('close');
        socket.removeAllListeners('error');
        resolve(new GraphqlWsConnection(socket));
      };
      socket.on('message', acknowledged);
    });
  }

  subscribe(query: string, variables: Record<string, unknown>): WsSubscription {
    const id = String(++this.sequence);
    const subscription = new WsSubscription(() => {
      if (this.subscriptions.delete(id)) this.send({ id, type: 'complete' });
    });
    if (this.socket.readyState !== WebSocket.OPEN) {
      subscription.end('connection not open');
      return subscription;
    }
    this.subscriptions.set(id, subscription);
    this.send({ id, type: 'subscribe', payload: { query, variables } });
    return subscription;
  }

  /** Closes (1000), terminating the socket if the server has not closed it within 5 s. */
  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.socket.terminate(), 5_000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(1000);
    });
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(data: RawData): void {
    const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
    const subscription = this.subscriptions.get(message.id ?? '');
    switch (message.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'next':
        subscription?.push(message.payload as NextPayload);
        return;
      case 'error':
      case 'complete':
        this.subscriptions.delete(message.id ?? '');
        subscription?.end(message.type === 'error' ? `error ${JSON.stringify(message.payload)}` : 'completed');
        return;
    }
  }
}
