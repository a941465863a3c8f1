import type { Logger } from '@radiata/observability';
import { closeRedis, createRedisSubscriber, type Redis, type RedisConnectionOptions } from '@radiata/redis';

/** Receives one decoded message of a channel. */
export type FanoutListener<T> = (message: T, channel: string) => void;

/** Stops one listener (idempotent). */
export interface Unlisten {
  (): void;
  /**
   * Settles once Redis has confirmed the SUBSCRIBE this listener depends on: messages published
   * from then on reach it. Pub/sub keeps nothing for late subscribers, so a resolver that must
   * not miss an outcome listens, awaits `ready`, then reads the current state (e.g. "my claim is
   * already persisted") and pushes it itself.
   */
  readonly ready: Promise<void>;
}

export interface ListenOptions {
  /**
   * Only messages whose routing key (see `keyOf`) equals this one. For a shared channel
   * (e.g. every claim result of a coupon) with many listeners: a message reaches the listeners
   * of its key through a map lookup, not by calling every listener with a filter.
   */
  readonly key?: string;
}

export interface RedisFanoutOptions extends RedisConnectionOptions {
  /** Routing key of a decoded message, for keyed listeners. Default: its `key` string field. */
  readonly keyOf?: (message: unknown, channel: string) => string | undefined;
}

interface ChannelState {
  readonly all: Set<FanoutListener<unknown>>;
  readonly byKey: Map<string, Set<FanoutListener<unknown>>>;
  count: number;
  readonly ready: Promise<void>;
}

const defaultKeyOf = (message: unknown): string | undefined => {
  if (typeof message !== 'object' || message === null) return undefined;
  const key = (message as { key?: unknown }).key;
  return typeof key === 'string' ? key : undefined;
};

/**
 * One Redis pub/sub connection per process, fanned out to in-memory listeners by channel:
 * the channel is SUBSCRIBEd when its first listener arrives and UNSUBSCRIBEd after its last
 * one leaves, so thousands of subscriptions to the same channel cost Redis one subscription.
 * Messages are JSON (publish `JSON.stringify(payload)`); undecodable ones are logged and dropped.
 *
 * Delivery is at most once: messages published while the connection is down are lost (ioredis
 * resubscribes after reconnecting). Subscriptions that must not miss an outcome pair `ready`
 * with a read of the current state (see Unlisten.ready).
 */
export class RedisFanout {
  private readonly subscriber: Redis;
  private readonly logger: Logger;
  private readonly keyOf: (message: unknown, channel: string) => string | undefined;
  private readonly channelStates = new Map<string, ChannelState>();
  /** (UN)SUBSCRIBEs waiting for the connection to be ready, in call order. */
  private readonly queued: { run(): void; fail(error: Error): void }[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: RedisFanoutOptions) {
    this.subscriber = createRedisSubscriber(options);
    this.logger = options.logger.child({ component: 'redis-fanout' });
    this.keyOf = options.keyOf ?? defaultKeyOf;
    this.subscriber.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
    this.subscriber.on('ready', () => {
      for (const command of this.queued.splice(0)) command.run();
    });
  }

  /** Channels with at least one listener in this process. */
  get channels(): readonly string[] {
    return [...this.channelStates.keys()];
  }

  listen<T = unknown>(channel: string, listener: FanoutListener<T>, options: ListenOptions = {}): Unlisten {
    if (this.closed) throw new Error('RedisFanout is closed');
    let state = this.channelStates.get(channel);
    if (!state) {
      const ready = this.whenReady(() => this.subscriber.subscribe(channel));
      ready.catch((error: unknown) => {
        if (!this.closed) this.logger.error({ err: error, channel }, 'redis subscribe failed');
      });
      state = { all: new Set(), byKey: new Map(), count: 0, ready };
      this.channelStates.set(channel, state);
    }
    // A wrapper per call, so the same function can listen twice and unlisten each independently.
    const entry: FanoutListener<unknown> = (message, from) => listener(message as T, from);
    const { key } = options;
    let set: Set<FanoutListener<unknown>>;
    if (key === undefined) {
      set = state.all;
    } else {
      set = state.byKey.get(key) ?? new Set();
      state.byKey.set(key, set);
    }
    set.add(entry);
    state.count += 1;

    const owner = state;
    let active = true;
    const unlisten = () => {
      if (!active) return;
      active = false;
      set.delete(entry);
      if (key !== undefined && set.size === 0) owner.byKey.delete(key);
      owner.count -= 1;
      if (owner.count === 0 && this.channelStates.get(channel) === owner) {
        this.channelStates.delete(channel);
        // Commands on one connection run in order: a later listen's SUBSCRIBE follows this.
        if (!this.closed) {
          this.whenReady(() => this.subscriber.unsubscribe(channel)).catch((error: unknown) => {
            if (!this.closed) this.logger.warn({ err: error, channel }, 'redis unsubscribe failed');
          });
        }
      }
    };
    return Object.assign(unlisten, { ready: state.ready });
  }

  /** For /readyz: the subscriber connection is up (PING is allowed in subscriber mode). */
  async readiness(): Promise<void> {
    if (this.subscriber.status !== 'ready') throw new Error(`redis subscriber is ${this.subscriber.status}`);
    await this.subscriber.ping();
  }

  /** Drops every listener and closes the connection. Stop the servers that listen first. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      this.channelStates.clear();
      for (const command of this.queued.splice(0)) command.fail(new Error('RedisFanout is closed'));
      await closeRedis(this.subscriber);
    })();
    return this.closing;
  }

  /**
   * Sends a pub/sub command only once the connection is ready. ioredis writes SUBSCRIBE at once
   * while a connection is still in its handshake (status 'connect': commands Redis accepts while
   * loading go straight out); the reply switches it to subscriber mode before the ready check's
   * INFO, which is then refused, and ioredis drops and reopens the connection. Commands queued
   * here keep their order, and run before any later one.
   */
  private whenReady(command: () => Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const run = () => {
        command().then(() => resolve(), reject);
      };
      if (this.subscriber.status === 'ready' && this.queued.length === 0) run();
      else this.queued.push({ run, fail: reject });
    });
  }

  private dispatch(channel: string, raw: string): void {
    const state = this.channelStates.get(channel);
    if (!state) return; // unsubscribed a moment ago; UNSUBSCRIBE not yet processed
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      this.logger.warn({ channel, bytes: raw.length }, 'dropped a pub/sub message that is not JSON');
      return;
    }
    const key = state.byKey.size > 0 ? this.keyOf(message, channel) : undefined;
    const keyed = key === undefined ? undefined : state.byKey.get(key);
    // Copies: a listener may unlisten (or listen) while it is called.
    for (const listener of keyed ? [...state.all, ...keyed] : [...state.all]) {
      try {
        listener(message, channel);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'pub/sub listener failed');
      }
    }
  }
}
