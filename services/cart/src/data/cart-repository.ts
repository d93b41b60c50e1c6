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
