import { z } from 'zod';

const secretKey = /(PASSWORD|SECRET|TOKEN|KEY)$/i;

/**
 * Reads a service's configuration from the environment through its zod schema, once, at boot.
 * An invalid configuration stops the process with a message naming every bad key, instead of
 * failing later on first use.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

/** The configuration with secrets masked (keys ending in PASSWORD, SECRET, TOKEN, KEY; passwords in URLs). */
export function maskSecrets(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (secretKey.test(key)) return [key, '****'];
      if (typeof value === 'string') return [key, value.replace(/\/\/([^:/@]+):[^@]+@/, '//$1:****@')];
      return [key, value];
    }),
  );
}

/** Keys every service shares. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
