import { api, type Product, type ProductPage } from '../api';
import { categories } from '../catalog';
import { useI18n } from '../i18n';
import { useRoute } from '../router';
import { useStore } from '../store';
import { AddToCart } from './add-to-cart';
import { ErrorMessage, Loading, Page, useLoad } from './common';
import { ProductPicture } from './icons';

const pageSize = 12;

/** The catalogue, `#/` or `#/categoria/<slug>`, a page at a time (`?pagina=N`). */
export function Catalogue({ category }: { category?: string }) {
  const { t } = useI18n();
  const route = useRoute();
  const page = Math.max(1, Number.parseInt(route.query.get('pagina') ?? '1', 10) || 1);
  const name = useStore(categories).find((item) => item.slug === category)?.name;
  const products = useLoad(
    (signal) => {
      const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
      if (category) query.set('category', category);
      return api<ProductPage>(`/products?${query}`, { signal });
    },
    [category, page],
  );
  const data = products.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const base = category ? `#/categoria/${encodeURIComponent(category)}` : '#/';

  return (
    <Page title={name ?? (category || t('catalogue'))}>
      <ErrorMessage error={products.error} retry={products.reload} />
      {!data && !products.error && <Loading />}
      {data && data.items.length === 0 && <p>{t('noProducts')}</p>}
      {data && data.items.length > 0 && (
        <>
          <ul class="products" data-testid="product-list" data-category={category ?? ''}>
            {data.items.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} />
              </li>
            ))}
          </ul>
          {pages > 1 && (
            <nav class="paging" aria-label={t('paging')}>
              {page > 1 && (
                <a href={`${base}?pagina=${page - 1}`} rel="prev" data-testid="page-previous">
                  {t('previous')}
                </a>
              )}
              <span data-testid="page-info">{t('pageOf', { page, pages })}</span>
              {page < pages && (
                <a href={`${base}?pagina=${page + 1}`} rel="next" data-testid="page-next">
                  {t('next')}
                </a>
              )}
            </nav>
          )}
        </>
      )}
    </Page>
  );
}

function ProductCard({ product }: { product: Product }) {
  const { money } = useI18n();
  return (
    <article class="card" data-testid={`product-card-${product.id}`}>
      <div class="picture" aria-hidden="true">
        <ProductPicture category={product.category} />
      </div>
      <h2>
        <a href={`#/produto/${product.id}`} data-testid={`product-link-${product.id}`}>
          {product.name}
        </a>
      </h2>
      <p class="price" data-testid={`product-price-${product.id}`}>
        {money(product.priceCents)}
      </p>
      <StockNote stock={product.stock} id={product.id} />
      <AddToCart product={product} />
    </article>
  );
}

export function StockNote({ stock, id }: { stock: number; id: number }) {
  const { t } = useI18n();
  return (
    <p class={stock > 0 ? 'stock' : 'stock sold-out'} data-testid={`product-stock-${id}`}>
      {stock > 0 ? t('inStock', { n: stock }) : t('outOfStock')}
    </p>
  );
}
