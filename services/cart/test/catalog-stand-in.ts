import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInProduct {
  id: number;
  priceCents: number;
  stock: number;
}

/**
 * A tiny real HTTP server that answers `GET /products/:id` the way the catalog does (a test double of
 * our own service, not of infrastructure). `failing` product ids answer 503, as a sick instance would.
 */
export class CatalogStandIn {
  readonly products = new Map<number, StandInProduct>();
  readonly failing = new Set<number>();
  hits = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.hits++;
      const match = /^\/products\/(\d+)$/.exec(request.url ?? '');
      const id = Number(match?.[1]);
      const product = this.products.get(id);
      if (this.failing.has(id)) return answer(response, 503, { status: 503, title: 'Service Unavailable' });
      if (request.method !== 'GET' || !product) return answer(response, 404, { status: 404, title: 'Not Found' });
      answer(response, 200, {
        ...product,
        name: `product ${id}`,
        description: '',
        currency: 'BRL',
        category: 'bolos',
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A URL on which nothing listens: a catalog instance that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function answer(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' });
  response.end(JSON.stringify(body));
}
