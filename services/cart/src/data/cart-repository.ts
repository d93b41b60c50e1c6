import { z } from 'zod';
import type { GuardedRedis } from './redis-connection';

export interface CartLine {
  productId: number;
  quantity: number;
  unitPriceCents: number;
}

/** Why a line could not take more units, or 'added'. */
export type AddOutcome = 'added' | 'over-line-limit' | 'over-stock';

const storedLine = z.object({ quantity: z.number().int().positive(), unitPriceCents: z.number().int().nonnegative() });

/**
 * Adds to a line atomically, so two concurrent adds to the same product cannot lose one another or
 * together pass the limits. KEYS[1] the cart; ARGV: product id, quantity to add, unit price, line
 * limit, stock, TTL. Returns 0 added, 1 over the line limit, 2 over stock.
 */
const addLineScript = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
local quantity = tonumber(ARGV[2])
if current then quantity = quantity + cjson.decode(current).quantity end
if quantity > tonumber(ARGV[4]) then return 1 end
if quantity > tonumber(ARGV[5]) then return 2 end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({ quantity = quantity, unitPriceCents = tonumber(ARGV[3]) }))
redis.call('EXPIRE', KEYS[1], ARGV[6])
return 0
`;
const outcomes: AddOutcome[] = ['added', 'over-line-limit', 'over-stock'];

/**
 * Takes an order's lines out of the cart, once per order: KEYS[1] the cart, KEYS[2] the order's marker;
 * ARGV[1] marker TTL, then product id / quantity pairs. Lines added after the order was placed stay.
 * Returns 1 when applied, 0 when this order was applied before (a redelivered event).
 */
const removeOrderedScript = `
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[1]) then return 0 end
for i = 2, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if current then
    local line = cjson.decode(current)
    local left = line.quantity - tonumber(ARGV[i + 1])
    if left > 0 then
      redis.call('HSET', KEYS[1], ARGV[i], cjson.encode({ quantity = left, unitPriceCents = line.unitPriceCents }))
    else
      redis.call('HDEL', KEYS[1], ARGV[i])
    end
  end
end
return 1
`;
/** How long an applied order is remembered: far longer than the broker would keep redelivering it. */
const orderMarkerTtlSeconds = 7 * 24 * 3600;

/**
 * Carts in Redis: one hash per user (`cart:<userId>`), field = product id, value = JSON
 * `{quantity, unitPriceCents}`. Every write refreshes the key's TTL, so a cart lives `ttlSeconds`
 * after its last change.
 */
export class CartRepository {
  constructor(
    private readonly redis: GuardedRedis,
    private readonly ttlSeconds: number,
  ) {}

  async lines(userId: string): Promise<CartLine[]> {
    const hash = await this.redis.run((client) => client.hgetall(cartKey(userId)));
    return toLines(hash);
  }

  async addLine(userId: string, line: CartLine, limits: { lineLimit: number; stock: number }): Promise<AddOutcome> {
    const result = await this.redis.run((client) =>
      client.eval(
        addLineScript,
        1,
        cartKey(userId),
        line.productId,
        line.quantity,
        line.unitPriceCents,
        limits.lineLimit,
        limits.stock,
        this.ttlSeconds,
      ),
    );
    return outcomes[Number(result)] ?? 'added';
  }

  /** Removes a line (absent is fine) and answers the cart as it is afterwards. */
  async removeLine(userId: string, productId: number): Promise<CartLine[]> {
    const key = cartKey(userId);
    const results = await this.redis.run((client) =>
      client.multi().hdel(key, String(productId)).expire(key, this.ttlSeconds).hgetall(key).exec(),
    );
    const [, hash] = results?.[2] ?? [];
    return toLines((hash ?? {}) as Record<string, string>);
  }

  /** Removes what an order bought (idempotent per order id); false when it had been applied already. */
  async removeOrdered(
    userId: string,
    orderId: string,
    lines: { productId: number; quantity: number }[],
  ): Promise<boolean> {
    const pairs = lines.flatMap((line) => [line.productId, line.quantity]);
    const applied = await this.redis.run((client) =>
      client.eval(removeOrderedScript, 2, cartKey(userId), `cart-order:${orderId}`, orderMarkerTtlSeconds, ...pairs),
    );
    return Number(applied) === 1;
  }

  async clear(userId: string): Promise<void> {
    await this.redis.run((client) => client.del(cartKey(userId)));
  }
}

export const cartKey = (userId: string) => `cart:${userId}`;

/** Lines in product order; a field that is not a line (written by hand, say) is left out, not fatal. */
function toLines(hash: Record<string, string>): CartLine[] {
  const lines: CartLine[] = [];
  for (const [field, value] of Object.entries(hash)) {
    let parsed: ReturnType<typeof storedLine.safeParse>;
    try {
      parsed = storedLine.safeParse(JSON.parse(value));
    } catch {
      continue;
    }
    const productId = Number(field);
    if (parsed.success && Number.isSafeInteger(productId)) lines.push({ productId, ...parsed.data });
  }
  return lines.sort((a, b) => a.productId - b.productId);
}
