import type { Queryable } from './queryable';

export interface CategoryView {
  id: number;
  slug: string;
  name: string;
}

export async function listCategories(db: Queryable): Promise<CategoryView[]> {
  const { rows } = await db.query<CategoryView>('SELECT id, slug, name FROM categories ORDER BY id');
  return rows;
}

export async function findCategoryId(db: Queryable, slug: string): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM categories WHERE slug = $1', [slug]);
  return rows[0]?.id;
}
