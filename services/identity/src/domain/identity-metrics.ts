import { registry } from '@confeitaria/platform';
import { Counter } from 'prom-client';

/** Business signals of the identity service, on the platform's one registry. */
export const loginsTotal = new Counter({
  name: 'identity_logins_total',
  help: 'Login attempts, by outcome.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const registrationsTotal = new Counter({
  name: 'identity_registrations_total',
  help: 'Accounts created through registration.',
  registers: [registry],
});
