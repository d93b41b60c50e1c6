import { z } from 'zod';

const secretKey = /(PASSWORD|SECRET|TOKEN|KEY)$/i;
/** The user and password inside a URL (`postgres://user:password@host`). */
const urlCredentials = /\/\/([^:/@]+):([^@]+)@/;
const urlPassword = (text: unknown) => (typeof text === 'string' ? urlCredentials.exec(text)?.[2] : undefined);

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
      if (typeof value === 'string') return [key, value.replace(urlCredentials, '//$1:****@')];
      return [key, value];
    }),
  );
}

/** The modes that run on one person's machine, where the documented defaults are safe enough. */
const localModes = ['local', 'docker'];

/** Keys every service shares. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Where the process runs: `local` (the stack CLI) and `docker` (Docker Compose on a student's
   * machine, ports on loopback) are local modes; anything else (`kubernetes`, a real deployment) is not,
   * and there a secret left at its documented default is refused at start (refuseDefaultSecrets).
   */
  DEPLOYMENT_ENVIRONMENT: z.string().min(1).default('local'),
  /**
   * The key the gateway signs the callers it vouches for with, and every service checks (user-headers.ts).
   * The stack CLI generates a random one per machine; this default serves in-process tests and Compose.
   */
  INTERNAL_AUTH_SECRET: z.string().min(16).default('local-only-internal-auth-secret'),
});

/**
 * Outside local mode, refuses a configuration whose secrets (keys ending in PASSWORD, SECRET, TOKEN or
 * KEY, and passwords inside URLs) are still the documented local defaults anyone can read in this
 * repository: a deployment must set its own.
 */
export function refuseDefaultSecrets<S extends z.ZodObject>(schema: S, config: z.infer<S>): void {
  const values = config as Record<string, unknown>;
  if (localModes.includes(String(values.DEPLOYMENT_ENVIRONMENT ?? 'local'))) return;
  const defaulted: string[] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    const fallback = (field as z.ZodType).safeParse(undefined);
    if (!fallback.success || fallback.data === undefined) continue;
    const value = values[key];
    if (secretKey.test(key) && value === fallback.data) defaulted.push(key);
    else if (urlPassword(fallback.data) && urlPassword(value) === urlPassword(fallback.data)) defaulted.push(key);
  }
  if (defaulted.length)
    throw new Error(
      `refusing to start in ${String(values.DEPLOYMENT_ENVIRONMENT)} with the documented local default of ${defaulted.join(', ')}: set your own (docs/security.md)`,
    );
}
