import { randomUUID } from 'node:crypto';
import { enqueueEvent, handleOnce } from '@confeitaria/platform';
import type pg from 'pg';
import { insertPayment, type Payment, paymentsForOrder } from '../data/payment-repository';
import { paymentsTotal } from '../metrics/payment-metrics';
import type { SimulatedProvider } from './payment-provider';

export interface ChargeRequest {
  /** The delivered message's id, recorded in the inbox. */
  messageId: string;
  orderId: string;
  totalCents: number;
  paymentToken: string;
}

/**
 * Charges an order whose stock is reserved, at most once per order. The provider is called outside
 * any transaction (a slow provider must not hold a connection); then, in one transaction with the
 * inbox entry, the payment is recorded and, only if it is new, its outcome event is written to the
 * outbox. The message is acknowledged after that commit and the relay publishes after it too, so a
 * crash at any point either repeats the work harmlessly or finds it done.
 * Resolves to the recorded payment, or undefined when the order had been handled already.
 */
export async function chargeOrder(
  pool: pg.Pool,
  provider: SimulatedProvider,
  request: ChargeRequest,
): Promise<Payment | undefined> {
  // A redelivery or a second message for a charged order is answered without calling the provider.
  if ((await paymentsForOrder(pool, request.orderId)).length > 0) return undefined;

  const decision = await provider.charge(request.orderId, request.paymentToken);
  let recorded: Payment | undefined;
  await handleOnce(pool, request.messageId, async (client) => {
    recorded = await insertPayment(client, {
      id: randomUUID(),
      orderId: request.orderId,
      amountCents: request.totalCents,
      status: decision.status,
      reason: decision.reason,
      token: request.paymentToken,
    });
    if (!recorded) return;
    await enqueueEvent(
      client,
      recorded.status === 'SUCCEEDED'
        ? {
            messageId: randomUUID(),
            routingKey: 'payment.succeeded',
            payload: { orderId: recorded.orderId, paymentId: recorded.id, amountCents: recorded.amountCents },
          }
        : {
            messageId: randomUUID(),
            routingKey: 'payment.declined',
            payload: { orderId: recorded.orderId, paymentId: recorded.id, reason: recorded.reason ?? 'declined' },
          },
    );
  });
  if (recorded) paymentsTotal.inc({ outcome: recorded.status === 'SUCCEEDED' ? 'succeeded' : 'declined' });
  return recorded;
}
