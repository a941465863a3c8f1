import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/** A TCP proxy in front of a real service, to cut the network under a client. */
export interface TcpProxy {
  readonly port: number;
  /** Keeps connections open but forwards nothing either way, like a network partition. */
  blackhole(): void;
  /** Closes every connection and refuses new ones, like a broker that went away. */
  stop(): Promise<void>;
  /** Accepts and forwards again, on the same port. */
  start(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let forwarding = true;
  let server: Server | undefined;
  let port = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (chunk: Buffer) => {
      if (forwarding) to.write(chunk);
    });

  const listen = async () => {
    const next = createServer((client) => {
      const upstream = tcpConnect(target.port, target.host);
      track(client);
      track(upstream);
      forward(client, upstream);
      forward(upstream, client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as { port: number }).port;
    server = next;
  };

  await listen();
  return {
    get port() {
      return port;
    },
    blackhole: () => {
      forwarding = false;
    },
    stop: async () => {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    start: async () => {
      forwarding = true;
      await listen();
    },
  };
}
