/**
 * Global setup for the component tests (`npm run test:components`): they start services in-process
 * against the real Postgres, Redis and RabbitMQ, so the infrastructure must run but the stack's own
 * service processes must not (they would compete for the same queues). Starts infrastructure and tools,
 * stops any service process of ours, and stops again what it started.
 */
import { components, down, up } from '@confeitaria/stack/stack';

let startedHere = false;

export async function globalSetup(): Promise<void> {
  const all = components();
  for (const service of all.filter((component) => component.kind === 'service')) await service.stop();
  const needed = all.filter((component) => component.kind !== 'service');
  const healthy = await Promise.all(needed.map(async (component) => (await component.health()).ok));
  if (healthy.every(Boolean)) return;
  startedHere = true;
  await up({ only: needed.map((component) => component.name) });
}

export async function globalTeardown(): Promise<void> {
  if (!startedHere || process.env.KEEP_STACK === 'true') return;
  const held = await down();
  if (held.length) throw new Error(`ports still held after stack down: ${held.join(', ')}`);
}
