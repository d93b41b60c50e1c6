import { useState } from 'preact/hooks';
import { ApiError, api, type Product } from '../api';
import { categories } from '../catalog';
import { useI18n } from '../i18n';
import { useStore } from '../store';
import { AddToCart, purchasable } from './add-to-cart';
import { StockNote } from './catalogue';
import { ErrorMessage, Loading, Page, useLoad } from './common';
import { ProductPicture } from './icons';

/** `#/produto/<id>`: one product, a quantity and "add to cart". */
export function ProductView({ id }: { id: string }) {
  const { t } = useI18n();
  const product = useLoad((signal) => api<Product>(`/products/${encodeURIComponent(id)}`, { signal }), [id]);
  const missing = product.error instanceof ApiError && (product.error.status === 404 || product.error.status === 400);

  if (missing)
    return (
      <Page title={t('productNotFound')}>
        <a href="#/">{t('backToShop')}</a>
      </Page>
    );
  if (!product.data)
    return (
      <Page title={t('loading')}>
        <ErrorMessage error={product.error} retry={product.reload} />
        {!product.error && <Loading />}
      </Page>
    );
  return <Details product={product.data} />;
}

function Details({ product }: { product: Product }) {
  const { t, money } = useI18n();
  const [quantity, setQuantity] = useState(1);
  const most = Math.max(1, purchasable(product));
  const category = useStore(categories).find((item) => item.slug === product.category);

  return (
    <Page title={product.name}>
      <div class="product" data-testid="product-detail">
        <div class="picture picture-large" aria-hidden="true">
          <ProductPicture category={product.category} />
        </div>
        <div class="product-info">
          {category && (
            <p>
              <a href={`#/categoria/${category.slug}`}>{category.name}</a>
            </p>
          )}
          <p>{product.description}</p>
          <p class="price" data-testid="product-price">
            {money(product.priceCents)}
          </p>
          <StockNote stock={product.stock} id={product.id} />
          {product.stock > 0 && (
            <p class="field field-inline">
              <label for="quantity">{t('quantity')}</label>
              <input
                id="quantity"
                type="number"
                inputMode="numeric"
                min={1}
                max={most}
                value={quantity}
                data-testid="product-quantity"
                onInput={(event) => {
                  const value = Number.parseInt(event.currentTarget.value, 10);
                  if (Number.isInteger(value)) setQuantity(Math.min(Math.max(value, 1), most));
                }}
              />
            </p>
          )}
          <AddToCart product={product} quantity={quantity} />
        </div>
      </div>
    </Page>
  );
}
