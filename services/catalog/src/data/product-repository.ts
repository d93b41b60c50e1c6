import type { Queryable } from './queryable';

export interface ProductView {
  id: number;
  name: string;
  description: string;
  priceCents: number;
  currency: 'BRL';
  /** The category's slug. */
  category: string;
  stock: number;
}

interface ProductRow {
  id: number;
  name: string;
  description: string;
  price_cents: number;
  category: string;
  stock: number;
}

const columns = 'p.id, p.name, p.description, p.price_cents, c.slug AS category, p.stock';
const fromProducts = 'FROM products p JOIN categories c ON c.id = p.category_id';

const toView = (row: ProductRow): ProductView => ({
  id: row.id,
  name: row.name,
  description: row.description,
  priceCents: row.price_cents,
  currency: 'BRL',
  category: row.category,
  stock: row.stock,
});

export interface ProductPage {
  items: ProductView[];
  total: number;
}

/** One page of products in id order, and how many match in all (one round trip, even past the end). */
export async function listProducts(
  db: Queryable,
  filter: { category: string | undefined; limit: number; offset: number },
): Promise<ProductPage> {
  const { rows } = await db.query<{ total: number } & Partial<ProductRow>>(
    `WITH matching AS (SELECT ${columns} ${fromProducts} WHERE $1::text IS NULL OR c.slug = $1)
     SELECT counted.total, page.*
       FROM (SELECT count(*)::int AS total FROM matching) counted
       LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY id LIMIT $2 OFFSET $3) page ON true`,
    [filter.category ?? null, filter.limit, filter.offset],
  );
  return {
    total: rows[0]?.total ?? 0,
    items: rows.filter((row) => row.id !== null && row.id !== undefined).map((row) => toView(row as ProductRow)),
  };
}

export async function findProduct(db: Queryable, id: number): Promise<ProductView | undefined> {
  const { rows } = await db.query<ProductRow>(`SELECT ${columns} ${fromProducts} WHERE p.id = $1`, [id]);
  return rows[0] ? toView(rows[0]) : undefined;
}

/** The products among `ids` that exist, in id order. */
export async function findProducts(db: Queryable, ids: number[]): Promise<ProductView[]> {
  const { rows } = await db.query<ProductRow>(
    `SELECT ${columns} ${fromProducts} WHERE p.id = ANY($1::int[]) ORDER BY p.id`,
    [ids],
  );
  return rows.map(toView);
}

export async function insertProduct(
  db: Queryable,
  product: { name: string; description: string; priceCents: number; categoryId: number; stock: number },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO products (name, description, price_cents, category_id, stock)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [product.name, product.description, product.priceCents, product.categoryId, product.stock],
  );
  return (rows[0] as { id: number }).id;
}
