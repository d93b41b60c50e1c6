/**
 * Measures what a Redis crash costs the carts, from a shopper's side. One shopper of its own adds one
 * unit to its cart every 50 ms through the public API, one request at a time, so after acknowledged
 * write k the cart holds exactly k units; the first refused write stops it (the crash has landed).
 * Once the shop is back, the cart is read again: the units still there are the acknowledged writes that
 * survived, the rest were lost, and their acknowledgement times say how many milliseconds of writes that
 * was. Redis's append-only file with `appendfsync everysec` bounds that at about one second for an
 * operating-system crash; for a process crash every acknowledged write has already reached the kernel.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { host, ports } from '@confeitaria/stack/ports';
import type { CartWritesLoss } from '../run-result';

const gateway = process.env.GATEWAY_URL ?? `http://${host}:${ports.gateway}`;
const intervalMs = 50;
/** Lines the writes are spread over (a cart line holds at most 100 units). */
const lines = 10;

interface CartView {
  items: { productId: number; quantity: number }[];
}

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

const units = (cart: CartView) => cart.items.reduce((sum, line) => sum + line.quantity, 0);

export class CartWritesMeter {
  private token = '';
  private products: number[] = [];
  /** Acknowledgement time of each acknowledged write, in order (write k at index k-1). */
  private readonly acked: number[] = [];
  private refusedAt: number | undefined;
  private failure: Error | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /** A fresh shopper with an empty cart, and products in stock to add. Throws when the shop cannot provide them. */
  async prepare(): Promise<void> {
    const email = `loss-meter-${randomUUID()}@confeitaria.test`;
    const password = 'medidor-de-perdas';
    const registered = await call('POST', '/api/auth/register', { email, password, name: 'Medidor de perdas' });
    if (registered.status !== 201) throw new Error(`cart-writes meter: register answered ${registered.status}`);
    const login = await call<{ accessToken: string }>('POST', '/api/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`cart-writes meter: login answered ${login.status}`);
    this.token = login.body.accessToken;
    const listing = await call<{ items: { id: number; stock: number }[] }>('GET', '/api/products?page=1&pageSize=20');
    this.products = listing.body.items
      .filter((item) => item.stock >= 100)
      .map((item) => item.id)
      .slice(0, lines);
    if (this.products.length === 0) throw new Error('cart-writes meter: no product with 100 units in stock');
  }

  /** Starts writing; stops by itself at the first refused write, or at `stop()`. */
  start(): void {
    this.running = this.writeUntilRefused().catch((error: Error) => {
      this.failure = error;
    });
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.running ?? Promise.resolve();
  }

  /** Reads the cart back (retrying while the shop recovers) and states what was lost. */
  async result(timeoutMs = 60_000): Promise<CartWritesLoss> {
    await this.stop();
    if (this.failure) throw this.failure;
    const deadline = Date.now() + timeoutMs;
    let cart: { status: number; body: CartView } | undefined;
    while (Date.now() < deadline) {
      cart = await call<CartView>('GET', '/api/cart', undefined, this.token).catch(() => undefined);
      if (cart?.status === 200) break;
      await sleep(500);
    }
    if (cart?.status !== 200)
      throw new Error(`cart-writes meter: the cart could not be read back (${cart?.status ?? 'no answer'})`);
    const survived = units(cart.body);
    const acknowledged = this.acked.length;
    const lost = Math.max(0, acknowledged - survived);
    const lastSurvived = survived > 0 ? this.acked[survived - 1] : undefined;
    const lastAcked = this.acked[acknowledged - 1];
    return {
      meter: 'cart-writes',
      intervalMs,
      acknowledged,
      survived,
      lost,
      lostWindowMs: lost > 0 && lastAcked !== undefined ? lastAcked - (lastSurvived ?? lastAcked) : 0,
      firstRefusedAt: this.refusedAt ?? null,
      lastAcknowledgedAt: lastAcked ?? null,
    };
  }

  private async writeUntilRefused(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      const productId = this.products[this.acked.length % this.products.length] as number;
      const answer = await call<CartView>('POST', '/api/cart/items', { productId, quantity: 1 }, this.token).catch(
        () => ({ status: 0, body: { items: [] } }),
      );
      if (answer.status !== 200) {
        this.refusedAt = started;
        return;
      }
      // The cart as the server holds it right after this write: the count the restore is compared with.
      if (units(answer.body) !== this.acked.length + 1) {
        throw new Error(
          `cart-writes meter: the cart holds ${units(answer.body)} units after write ${this.acked.length + 1}`,
        );
      }
      this.acked.push(Date.now());
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  }
}
