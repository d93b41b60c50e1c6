import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey, type Order } from '../api';
import { cart, itemCount, loadCart } from '../cart';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { useStore } from '../store';
import { traced } from '../telemetry';
import { ErrorMessage, Loading, Page, useLoad } from './common';

/** The payment tokens the simulated provider knows: `tok_visa` pays, `tok_decline` always declines. */
const tokens = [
  { value: 'tok_visa', label: 'tokenVisa' },
  { value: 'tok_decline', label: 'tokenDecline' },
] as const;

/** `#/finalizar`: places the order from the cart, then follows it on its own page. */
export function Checkout() {
  const { t, money } = useI18n();
  const loaded = useLoad((signal) => loadCart({ signal }), []);
  const current = useStore(cart);
  const [paymentToken, setPaymentToken] = useState<string>(tokens[0].value);
  const [placing, setPlacing] = useState(false);
  const [error, setError] = useState<unknown>();
  // One key per body: sending again (after a lost answer, or a retry) cannot place a second order.
  const keys = useRef<Record<string, string>>({});

  async function place(event: Event) {
    event.preventDefault();
    setPlacing(true);
    setError(undefined);
    const key = keys.current[paymentToken] ?? newIdempotencyKey();
    keys.current[paymentToken] = key;
    try {
      const order = await traced('place order', () =>
        api<Order>('/orders', {
          method: 'POST',
          auth: true,
          retry: true,
          body: { fromCart: true, paymentToken },
          headers: { 'Idempotency-Key': key },
        }),
      );
      navigate(`/pedido/${order.id}`);
    } catch (failure) {
      setPlacing(false);
      setError(failure);
    }
  }

  return (
    <Page title={t('checkoutTitle')}>
      <ErrorMessage error={loaded.error} retry={loaded.reload} />
      {!current && !loaded.error && <Loading />}
      {current && current.items.length === 0 && (
        <p data-testid="cart-empty">
          {t('cartEmpty')} <a href="#/">{t('keepShopping')}</a>
        </p>
      )}
      {current && current.items.length > 0 && (
        <form class="form" onSubmit={place} data-testid="checkout-form">
          <p class="total">
            {t('itemsInCart', { n: itemCount(current) })} · {t('total')}:{' '}
            <strong data-testid="checkout-total">{money(current.totalCents)}</strong>
          </p>
          <fieldset>
            <legend>{t('payment')}</legend>
            <p class="field">
              <label for="payment-token">{t('paymentToken')}</label>
              <select
                id="payment-token"
                value={paymentToken}
                aria-describedby="payment-hint"
                data-testid="payment-token"
                onChange={(event) => setPaymentToken(event.currentTarget.value)}
              >
                {tokens.map((token) => (
                  <option key={token.value} value={token.value}>
                    {t(token.label)}
                  </option>
                ))}
              </select>
              <span class="hint" id="payment-hint">
                {t('paymentHint')}
              </span>
            </p>
          </fieldset>
          <ErrorMessage error={error} />
          <button type="submit" disabled={placing} data-testid="place-order">
            {placing ? t('placingOrder') : t('placeOrder')}
          </button>
        </form>
      )}
    </Page>
  );
}
