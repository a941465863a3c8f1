import { EventStreamOverflowError, eventStream } from '../src/index.js';

/** A push source whose listeners the test drives by hand. */
function source<T>() {
  const listeners = new Set<(event: T) => void>();
  let unsubscribed = 0;
  return {
    emit: (event: T) => {
      for (const listener of listeners) listener(event);
    },
    get listeners() {
      return listeners.size;
    },
    get unsubscribed() {
      return unsubscribed;
    },
    subscribe: (push: (event: T) => void) => {
      listeners.add(push);
      return () => {
        unsubscribed += 1;
        listeners.delete(push);
      };
    },
  };
}

describe('eventStream', () => {
  it('delivers events pushed before and after next(), in order', async () => {
    const s = source<number>();
    const stream = eventStream(s.subscribe);
    s.emit(1); // before anyone asked: buffered
    expect(await stream.next()).toEqual({ value: 1, done: false });
    const pending = stream.next();
    s.emit(2);
    expect(await pending).toEqual({ value: 2, done: false });
  });

  it('return() settles a pending next() at once and unsubscribes exactly once', async () => {
    const s = source<number>();
    const stream = eventStream(s.subscribe);
    const pending = stream.next();
    expect(await stream.return()).toEqual({ value: undefined, done: true });
    expect(await pending).toEqual({ value: undefined, done: true });
    await stream.return();
    expect(s.unsubscribed).toBe(1);
    expect(s.listeners).toBe(0);
    s.emit(3); // ignored
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('unlike an async generator parked on an await, whose return() waits for the next event', async () => {
    const s = source<number>();
    let finallyRan = false;
    async function* generator() {
      try {
        for await (const event of eventStream(s.subscribe)) yield event;
      } finally {
        finallyRan = true;
      }
    }
    const wrapped = generator();
    const first = wrapped.next(); // parks inside the for-await, waiting on the inner stream
    let returned = false;
    const returning = wrapped.return(undefined).then(() => {
      returned = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(returned).toBe(false); // queued behind the pending next()
    expect(finallyRan).toBe(false);
    s.emit(1); // only an event lets it go on
    await first;
    await returning;
    expect(finallyRan).toBe(true);
  });

  it('drops the oldest events beyond maxBuffered by default', async () => {
    const s = source<number>();
    const stream = eventStream(s.subscribe, { maxBuffered: 3 });
    for (let i = 1; i <= 5; i++) s.emit(i);
    const values = [(await stream.next()).value, (await stream.next()).value, (await stream.next()).value];
    expect(values).toEqual([3, 4, 5]);
    expect(s.listeners).toBe(1);
    await stream.return();
  });

  it("with overflow 'error' stops listening, delivers what it kept, then fails", async () => {
    const s = source<number>();
    const stream = eventStream(s.subscribe, { maxBuffered: 2, overflow: 'error' });
    for (let i = 1; i <= 3; i++) s.emit(i);
    expect(s.unsubscribed).toBe(1);
    expect((await stream.next()).value).toBe(1);
    expect((await stream.next()).value).toBe(2);
    await expect(stream.next()).rejects.toBeInstanceOf(EventStreamOverflowError);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('fail() stops listening, delivers what was pushed before, then rejects with its error', async () => {
    let unsubscribed = 0;
    let fail: (error: Error) => void = () => {};
    const stream = eventStream<number>((push, failWith) => {
      push(1);
      push(2);
      fail = failWith;
      return () => {
        unsubscribed += 1;
      };
    });
    fail(new Error('not yours'));
    expect(unsubscribed).toBe(1);
    expect(await stream.next()).toEqual({ value: 1, done: false });
    expect(await stream.next()).toEqual({ value: 2, done: false });
    await expect(stream.next()).rejects.toThrow('not yours');
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends when the signal aborts, and never subscribes with an aborted signal', async () => {
    const s = source<number>();
    const controller = new AbortController();
    const stream = eventStream(s.subscribe, { signal: controller.signal });
    const pending = stream.next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(s.unsubscribed).toBe(1);

    const never = eventStream(s.subscribe, { signal: controller.signal });
    expect(s.listeners).toBe(0);
    expect(await never.next()).toEqual({ value: undefined, done: true });
  });

  it('throw() unsubscribes and rejects; a subscribe that throws propagates', async () => {
    const s = source<number>();
    const stream = eventStream(s.subscribe);
    await expect(stream.throw(new Error('boom'))).rejects.toThrow('boom');
    expect(s.unsubscribed).toBe(1);
    expect(() =>
      eventStream(() => {
        throw new Error('no source');
      }),
    ).toThrow('no source');
    expect(() => eventStream(s.subscribe, { maxBuffered: 0 })).toThrow(RangeError);
  });

  it('is an async iterable for for-await', async () => {
    const s = source<string>();
    const stream = eventStream(s.subscribe);
    s.emit('a');
    s.emit('b');
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (seen.length === 2) break; // break calls return()
    }
    expect(seen).toEqual(['a', 'b']);
    expect(s.unsubscribed).toBe(1);
  });
});
