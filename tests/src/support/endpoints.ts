import { host, ports } from '@confeitaria/stack/ports';

export const gatewayUrl = `http://${host}:${ports.gateway}`;
export const ordersUrl = `http://${host}:${ports.orders}`;
export const notificationsUrl = `http://${host}:${ports.notifications}`;
export const prometheusUrl = `http://${host}:${ports.prometheus}`;
export const toxiproxyUrl = `http://${host}:${ports.toxiproxyApi}`;

/** Runs an instant PromQL query; returns the result vector. */
export async function promQuery(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { status: string; data: { result: never[] }; error?: string };
  if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
  return body.data.result;
}
