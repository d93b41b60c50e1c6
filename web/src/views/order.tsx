import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, isAbort, LoginRequired, type Order, sleep } from '../api';
import { refreshCart } from '../cart';
import { useProducts } from '../catalog';
import { type Key, type Translate, useI18n } from '../i18n';
import { Loading, Page } from './common';

const pollEvery = 1000;

type Trouble = 'waiting' | 'missing' | undefined;

/**
 * `#/pedido/<id>`: follows the order's saga by reading it every second until it is CONFIRMED or
 * CANCELLED. Failures (a 503, the network) do not stop it: it says it is waiting and reads again, so an
 * order placed while part of the shop is down turns CONFIRMED here once the shop heals.
 */
export function OrderView({ id }: { id: string }) {
  const { t, money, dateTime } = useI18n();
  const [order, setOrder] = useState<Order>();
  const [trouble, setTrouble] = useState<Trouble>();
  const products = useProducts(order?.items.map((line) => line.productId) ?? []);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    setOrder(undefined);
    setTrouble(undefined);
    async function follow() {
      for (;;) {
        let wait = pollEvery;
        try {
          const value = await api<Order>(`/orders/${encodeURIComponent(id)}`, { auth: true, retry: false, signal });
          setOrder(value);
          setTrouble(undefined);
          if (value.status !== 'PENDING') {
            // The saga has settled; the cart it was placed from is refreshed for the header's count.
            refreshCart();
            return;
          }
        } catch (error) {
          if (isAbort(error) || error instanceof LoginRequired) return;
          if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
            setTrouble('missing');
            return;
          }
          setTrouble('waiting');
          if (error instanceof ApiError && error.retryAfter) wait = Math.max(wait, error.retryAfter * 1000);
        }
        await sleep(wait, signal);
      }
    }
    follow().catch(() => undefined);
    return () => controller.abort();
  }, [id]);

  if (trouble === 'missing')
    return (
      <Page title={t('orderNotFound')}>
        <a href="#/pedidos">{t('myOrders')}</a>
      </Page>
    );

  return (
    <Page title={t('orderTitle', { id: id.slice(0, 8) })}>
      <section class="order-live" aria-live="polite" aria-label={t('orderLive')} data-testid="order-live">
        {trouble === 'waiting' && (
          <p class="notice notice-busy" data-testid="order-waiting">
            {t('waitingForShop')}
          </p>
        )}
        {order && (
          <>
            <p
              class={`status status-${order.status.toLowerCase()}`}
              data-testid="order-status"
              data-status={order.status}
            >
              {statusText(order, t)}
            </p>
            <ol class="steps" data-testid="order-steps">
              {steps(order).map((step) => (
                <li key={step.label} class={`step step-${step.state}`} data-state={step.state}>
                  {t(step.label)}
                  <span class="visually-hidden"> ({t(stateLabel[step.state])})</span>
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      {!order && !trouble && <Loading />}
      {order && (
        <>
          <ul class="lines">
            {order.items.map((line) => (
              <li class="line line-summary" key={line.productId}>
                <a class="line-name" href={`#/produto/${line.productId}`}>
                  {products.get(line.productId)?.name ?? t('productNumber', { id: line.productId })}
                </a>
                <span>
                  {line.quantity} × {money(line.unitPriceCents)}
                </span>
                <span class="line-subtotal">{money(line.quantity * line.unitPriceCents)}</span>
              </li>
            ))}
          </ul>
          <p class="total">
            {t('total')}: <strong data-testid="order-total">{money(order.totalCents)}</strong>
          </p>
          <p class="muted">
            {t('date')}: {dateTime(order.createdAt)}
          </p>
          <p class="actions">
            <a href="#/pedidos">{t('myOrders')}</a>
            <a href="#/">{t('keepShopping')}</a>
          </p>
        </>
      )}
    </Page>
  );
}

export function statusText(order: Order, t: Translate): string {
  if (order.status === 'CANCELLED' && order.reason)
    return t('cancelledBecause', { reason: t(`reason${order.reason}`) });
  return t(`status${order.status}`);
}

type StepState = 'done' | 'current' | 'failed' | 'waiting';

const stateLabel: Record<StepState, Key> = {
  done: 'stepDone',
  current: 'stepCurrent',
  failed: 'stepFailed',
  waiting: 'stepWaiting',
};

/**
 * The saga as steps. The order view tells only PENDING, CONFIRMED or CANCELLED (with its reason), so
 * the middle steps are read from those: a confirmed order was reserved and paid; a declined payment
 * means the stock had been reserved; out of stock means it never got to payment.
 */
function steps(order: Order): { label: Key; state: StepState }[] {
  const placed = { label: 'stepPlaced', state: 'done' } as const;
  switch (order.status) {
    case 'PENDING':
      return [
        placed,
        { label: 'stepStock', state: 'current' },
        { label: 'stepPaid', state: 'waiting' },
        { label: 'stepConfirmed', state: 'waiting' },
      ];
    case 'CONFIRMED':
      return [
        placed,
        { label: 'stepStock', state: 'done' },
        { label: 'stepPaid', state: 'done' },
        { label: 'stepConfirmed', state: 'done' },
      ];
    case 'CANCELLED':
      return [
        placed,
        ...(order.reason === 'PAYMENT_DECLINED'
          ? ([
              { label: 'stepStock', state: 'done' },
              { label: 'stepPaid', state: 'failed' },
            ] as const)
          : order.reason === 'OUT_OF_STOCK'
            ? ([{ label: 'stepStock', state: 'failed' }] as const)
            : []),
        { label: 'stepCancelled', state: 'failed' },
      ];
  }
}
