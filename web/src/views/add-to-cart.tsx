import { useState } from 'preact/hooks';
import { ApiError, type Product } from '../api';
import { addToCart, maxQuantity } from '../cart';
import { useI18n } from '../i18n';
import { ErrorMessage } from './common';

type State =
  | { kind: 'idle' }
  | { kind: 'adding' }
  | { kind: 'added'; total: number }
  | { kind: 'full' }
  | { kind: 'failed'; error: unknown };

/** The most units of a product one cart line can hold: its stock, up to the line limit. */
export function purchasable(product: Product): number {
  return Math.min(product.stock, maxQuantity);
}

/** "Add to cart" for `quantity` more of a product (on top of what the cart holds), with its outcome announced. */
export function AddToCart({ product, quantity = 1 }: { product: Product; quantity?: number }) {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const soldOut = product.stock <= 0;

  async function add() {
    setState({ kind: 'adding' });
    try {
      const updated = await addToCart(product.id, quantity);
      const total = updated.items.find((line) => line.productId === product.id)?.quantity ?? quantity;
      setState({ kind: 'added', total });
    } catch (error) {
      // Over the stock (409) or the line limit (400): the shop names the quantity.
      const tooMany = error instanceof ApiError && error.fields.quantity !== undefined;
      setState(tooMany ? { kind: 'full' } : { kind: 'failed', error });
    }
  }

  return (
    <div class="add-to-cart">
      <button
        type="button"
        disabled={soldOut || state.kind === 'adding'}
        onClick={add}
        data-testid={`add-to-cart-${product.id}`}
      >
        {soldOut ? t('outOfStock') : state.kind === 'adding' ? t('adding') : t('addToCart')}
      </button>
      <div role="status" class="add-status" data-testid={`add-status-${product.id}`} data-state={state.kind}>
        {state.kind === 'added' && <p class="success">{t('added', { n: state.total })}</p>}
        {state.kind === 'full' && <p class="muted">{t('cartFull')}</p>}
      </div>
      {state.kind === 'failed' && <ErrorMessage error={state.error} />}
    </div>
  );
}
