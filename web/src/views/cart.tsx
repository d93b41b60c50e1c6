import { useState } from 'preact/hooks';
import type { Line, Product } from '../api';
import { cart, changeQuantity, loadCart, maxQuantity, removeLine } from '../cart';
import { useProducts } from '../catalog';
import { useI18n } from '../i18n';
import { useStore } from '../store';
import { ErrorMessage, Loading, Page, useLoad } from './common';

/** `#/carrinho`: the lines, their quantities, the total and the way to checkout. */
export function CartView() {
  const { t, money } = useI18n();
  const loaded = useLoad((signal) => loadCart({ signal }), []);
  const current = useStore(cart);
  const products = useProducts(current?.items.map((line) => line.productId) ?? []);
  const [error, setError] = useState<unknown>();

  async function change(action: () => Promise<void>) {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <Page title={t('cartTitle')}>
      <ErrorMessage error={loaded.error} retry={loaded.reload} />
      <ErrorMessage error={error} />
      {!current && !loaded.error && <Loading />}
      {current && current.items.length === 0 && (
        <p data-testid="cart-empty">
          {t('cartEmpty')} <a href="#/">{t('keepShopping')}</a>
        </p>
      )}
      {current && current.items.length > 0 && (
        <>
          <ul class="lines" data-testid="cart-lines">
            {current.items.map((line) => (
              <CartLine
                key={line.productId}
                line={line}
                product={products.get(line.productId)}
                onQuantity={(quantity) => change(() => changeQuantity(line, quantity))}
                onRemove={() => change(() => removeLine(line.productId))}
              />
            ))}
          </ul>
          <p class="total">
            {t('total')}: <strong data-testid="cart-total">{money(current.totalCents)}</strong>
          </p>
          <p class="actions">
            <a class="button" href="#/finalizar" data-testid="checkout-button">
              {t('checkout')}
            </a>
            <a href="#/">{t('keepShopping')}</a>
          </p>
        </>
      )}
    </Page>
  );
}

interface CartLineProps {
  line: Line;
  product: Product | undefined;
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}

function CartLine({ line, product, onQuantity, onRemove }: CartLineProps) {
  const { t, money } = useI18n();
  const name = product?.name ?? t('productNumber', { id: line.productId });
  const most = Math.max(line.quantity, Math.min(product?.stock ?? maxQuantity, maxQuantity));
  const inputId = `quantity-${line.productId}`;
  return (
    <li class="line" data-testid={`cart-line-${line.productId}`}>
      <a class="line-name" href={`#/produto/${line.productId}`}>
        {name}
      </a>
      <span class="line-unit">
        <span class="visually-hidden">{t('unitPrice')}: </span>
        {money(line.unitPriceCents)}
      </span>
      <span class="line-quantity">
        <label class="visually-hidden" for={inputId}>
          {t('quantityOf', { name })}
        </label>
        <input
          id={inputId}
          type="number"
          inputMode="numeric"
          min={1}
          max={most}
          value={line.quantity}
          data-testid={`cart-quantity-${line.productId}`}
          onChange={(event) => {
            const value = Number.parseInt(event.currentTarget.value, 10);
            if (Number.isInteger(value) && value !== line.quantity) onQuantity(Math.min(Math.max(value, 1), most));
            else event.currentTarget.value = String(line.quantity);
          }}
        />
      </span>
      <span class="line-subtotal">
        <span class="visually-hidden">{t('subtotal')}: </span>
        {money(line.unitPriceCents * line.quantity)}
      </span>
      <button
        type="button"
        class="button-secondary"
        aria-label={t('removeNamed', { name })}
        onClick={onRemove}
        data-testid={`cart-remove-${line.productId}`}
      >
        {t('remove')}
      </button>
    </li>
  );
}
