/**
 * The public API's request and response shapes (DESIGN.md §2), as zod schemas. The services validate
 * requests with them and the gateway generates its OpenAPI document from them, so the documentation
 * cannot drift from what is enforced.
 */
import { z } from 'zod';

/**
 * Text a person typed: no control characters (a NUL byte cannot even be stored in Postgres text) and no
 * lone surrogate halves (not text at all). `multiline` lets tab and line breaks through.
 */
const singleLine = /^[^\p{Cc}\p{Cs}]*$/u;
const multiLine = /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u;
const text = (options: { multiline?: boolean } = {}) =>
  z.string().regex(options.multiline ? multiLine : singleLine, { message: 'must not contain control characters' });

const productId = z.number().int().positive().max(2_147_483_647);
const quantity = z.number().int().min(1).max(100);
/** Ids in paths and queries arrive as text. */
export const productIdParam = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const orderIdParam = z.object({ id: z.uuid() });

/**
 * Passwords of eight characters or more that lead every published list of leaked passwords (the top of
 * the SecLists and Have I Been Pwned rankings) and their Brazilian counterparts: the first an attacker
 * tries, so registration refuses them (compared case-insensitively).
 */
const commonPasswords = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '12345678910',
  '87654321',
  '11111111',
  '00000000',
  '88888888',
  '11223344',
  '12341234',
  '12121212',
  '123123123',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  '1q2w3e4r',
  '1qaz2wsx',
  'zaq12wsx',
  'asdfghjk',
  'asdf1234',
  'iloveyou',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'welcome1',
  'superman',
  'trustno1',
  'starwars',
  'abcd1234',
  'abc12345',
  'letmein1',
  'computer',
  'michelle',
  'jennifer',
  'whatever',
  'senha123',
  'senha1234',
  'senha12345',
  'mudar123',
  'mudar@123',
  'brasil123',
  'flamengo',
  'corinthians',
  'palmeiras',
  'saopaulo',
  'gremio123',
  'vasco123',
  'minhasenha',
  'confeitaria',
  'confeitaria123',
]);

export const registerBody = z.strictObject({
  email: z.email().max(254),
  password: text()
    .min(8)
    .max(128)
    .refine((password) => !commonPasswords.has(password.toLowerCase()), {
      message: 'is one of the most common passwords: choose another',
    }),
  name: text().trim().min(1).max(100),
});
export const loginBody = z.strictObject({
  email: z.email().max(254),
  password: text().min(1).max(128),
});
export const userView = z.object({ id: z.uuid(), email: z.string(), name: z.string() });
export const tokenView = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
});

export const categoryView = z.object({ id: z.number().int(), slug: z.string(), name: z.string() });
export const productListQuery = z.strictObject({
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const productView = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  currency: z.literal('BRL'),
  category: z.string(),
  stock: z.number().int(),
});
export const createProductBody = z.strictObject({
  name: text().trim().min(1).max(120),
  description: text({ multiline: true }).max(2_000).default(''),
  priceCents: z.number().int().min(1).max(100_000_000),
  category: z.string().regex(/^[a-z0-9-]{1,60}$/),
  stock: z.number().int().min(0).max(1_000_000).default(0),
});
export const setStockBody = z.strictObject({ stock: z.number().int().min(0).max(1_000_000) });

export const cartItemBody = z.strictObject({ productId, quantity });
export const cartView = z.object({
  items: z.array(
    z.object({ productId: z.number().int(), quantity: z.number().int(), unitPriceCents: z.number().int() }),
  ),
  totalCents: z.number().int(),
});

const paymentToken = z
  .string()
  .regex(/^tok_[a-z0-9_]{1,40}$/)
  .optional();
export const placeOrderBody = z.union([
  z.strictObject({ items: z.array(z.strictObject({ productId, quantity })).min(1).max(50), paymentToken }),
  z.strictObject({ fromCart: z.literal(true), paymentToken }),
]);
export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/);
export const orderView = z.object({
  id: z.uuid(),
  status: z.enum(['PENDING', 'CONFIRMED', 'CANCELLED']),
  reason: z.enum(['OUT_OF_STOCK', 'PAYMENT_DECLINED']).optional(),
  items: z.array(
    z.object({ productId: z.number().int(), quantity: z.number().int(), unitPriceCents: z.number().int() }),
  ),
  totalCents: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
