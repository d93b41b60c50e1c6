import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a stand-in received. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Reply = (request: Received, response: ServerResponse) => void | Promise<void>;

/**
 * A tiny real HTTP server standing in for one of our services behind the gateway: it records what
 * the gateway sent, and answers as the test tells it to.
 */
export interface StandIn {
  url: string;
  received: Received[];
  /** Requests received for this method and path (query ignored). */
  hits(method: string, path: string): Received[];
  reply: Reply;
  close(): Promise<void>;
}

export function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export async function startStandIn(reply: Reply): Promise<StandIn> {
  const received: Received[] = [];
  const standIn: StandIn = {
    url: '',
    received,
    hits: (method, path) => received.filter((r) => r.method === method && r.url.split('?')[0] === path),
    reply,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const entry = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    received.push(entry);
    try {
      await standIn.reply(entry, response);
    } catch {
      if (!response.headersSent) json(response, 500, { detail: 'stand-in failed' });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}

/** A URL nothing listens on (a port bound a moment ago, then released). */
let nextDeadPort = 1;

/**
 * A URL where nothing listens: a privileged low port on loopback. (Binding port 0 and closing it again
 * is not enough: the next stand-in server started on port 0 may well be given the same port.)
 */
export async function deadUrl(): Promise<string> {
  const port = nextDeadPort;
  nextDeadPort = (nextDeadPort % 9) + 1;
  return `http://127.0.0.1:${port}`;
}
