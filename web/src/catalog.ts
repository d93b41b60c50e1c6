import { useEffect, useState } from 'preact/hooks';
import { api, type Category, type Product } from './api';
import { createStore } from './store';

/** Every category, read once for the header and the catalogue. */
export const categories = createStore<Category[]>([]);
api<{ items: Category[] }>('/categories')
  .then((list) => categories.set(list.items))
  .catch(() => undefined);

const known = new Map<number, Promise<Product>>();

function product(id: number): Promise<Product> {
  let pending = known.get(id);
  if (!pending) {
    pending = api<Product>(`/products/${id}`);
    pending.catch(() => known.delete(id));
    known.set(id, pending);
  }
  return pending;
}

/**
 * The products behind cart and order lines (which carry only ids), as they arrive; a product that
 * cannot be read is simply missing, and the line shows its id instead.
 */
export function useProducts(ids: number[]): Map<number, Product> {
  const [found, setFound] = useState(new Map<number, Product>());
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    for (const id of key.split(',').filter(Boolean).map(Number)) {
      product(id)
        .then((value) => {
          if (live) setFound((previous) => new Map(previous).set(id, value));
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [key]);
  return found;
}
