// A static file server for a single-page app's build (the storefront's, for `npm run test:web`):
// files from one directory, and index.html for any other path (the app's router reads the URL).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>` (no trailing slash): the app's origin. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `dir` on `host` and a free port (or `port`); GET and HEAD only. */
export async function serveStatic(dir: string, options: { host?: string; port?: number } = {}): Promise<StaticServer> {
  const root = path.resolve(dir);
  const index = path.join(root, 'index.html');
  if (!existsSync(index)) throw new Error(`${root} has no index.html: build the app first`);
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = path.join(root, pathname);
    const inside = file.startsWith(`${root}${path.sep}`);
    const isFile = inside && existsSync(file) && statSync(file).isFile();
    // A missing asset is a 404 (a stale page asking for an old bundle), any other path is the app.
    if (!isFile && pathname.startsWith('/assets/')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const served = isFile ? file : index;
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(served)] ?? 'application/octet-stream',
      'cache-control': served === index ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(served).pipe(response);
  });
  // Keep-alive sockets of a closed browser must not hold close() up.
  server.keepAliveTimeout = 1000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
