import { api, type Order } from '../api';
import { useI18n } from '../i18n';
import { ErrorMessage, Loading, Page, useLoad } from './common';
import { statusText } from './order';

/** `#/pedidos`: the caller's orders, newest first. */
export function Orders() {
  const { t, money, dateTime } = useI18n();
  const orders = useLoad((signal) => api<{ items: Order[] }>('/orders', { auth: true, signal }), []);
  const list = [...(orders.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <Page title={t('ordersTitle')}>
      <ErrorMessage error={orders.error} retry={orders.reload} />
      {!orders.data && !orders.error && <Loading />}
      {orders.data && list.length === 0 && (
        <p data-testid="orders-empty">
          {t('noOrders')} <a href="#/">{t('keepShopping')}</a>
        </p>
      )}
      {list.length > 0 && (
        <table class="orders" data-testid="order-list">
          <thead>
            <tr>
              <th scope="col">{t('date')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('total')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((order) => (
              <tr key={order.id} data-testid={`order-row-${order.id}`}>
                <td>
                  <a href={`#/pedido/${order.id}`} data-testid={`order-link-${order.id}`}>
                    {dateTime(order.createdAt)}
                  </a>
                </td>
                <td data-status={order.status} class={`status-${order.status.toLowerCase()}`}>
                  {statusText(order, t)}
                </td>
                <td>{money(order.totalCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
