/**
 * The scenario format. A scenario is a typed module in chaos/scenarios/ (one file each): what it
 * proves, the load it runs under, the steady state it expects (PromQL probes with a tolerance per
 * phase), the faults it injects (timed within the fault phase) and the invariants it audits. The
 * runner validates it (`validateScenario`) before touching anything, so `--dry-run` catches a typo in a
 * proxy name before a fault is half applied.
 */
import { z } from 'zod';
import type { I18n, PhaseName, Tolerance } from './run-result';

export type ToxicType = 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';

/** A Toxiproxy toxic: type, direction and attributes as Toxiproxy names them (milliseconds, KB/s, bytes). */
export interface ToxicSpec {
  type: ToxicType;
  stream?: 'upstream' | 'downstream';
  /** Share of connections affected, 0–1 (default 1). */
  toxicity?: number;
  attributes: Record<string, number>;
}

export type Fault =
  | { kind: 'toxic'; proxies: string[]; toxic: ToxicSpec }
  /** Proxy disabled: connections refused and open ones closed, as if the dependency vanished. */
  | { kind: 'disable'; proxies: string[] }
  /** SIGKILL of the process that does the work (postmaster, Erlang VM, Node), held down by the
   * supervisor until the rollback starts it again (`npm run stack -- up <name>`'s way). */
  | { kind: 'kill'; process: string }
  /** SIGKILL with nothing scripted to bring it back: the supervisor (local mode) or the restart policy
   * (docker mode) must; the rollback only waits until it is healthy again. */
  | { kind: 'crash'; process: string }
  /** SIGTERM (drains); the rollback starts it again. */
  | { kind: 'stop'; process: string }
  /** SIGSTOP: alive but silent; the rollback resumes it. */
  | { kind: 'pause'; process: string };

/** One fault of the method, timed as fractions of the fault phase (so `--duration` scales it). */
export interface MethodStep {
  /** When to apply it: 0 = start of the fault phase, 0.5 = half way. */
  at: number;
  /** When to roll it back (default 1 = end of the fault phase). */
  until?: number;
  fault: Fault;
}

/** A steady-state probe: one PromQL expression (a single series; `$testid` is this run's k6 test id). */
export interface Probe {
  name: string;
  title: I18n;
  query: string;
  unit: string;
  /** Tolerance per phase; a phase without one is sampled for the charts but not judged. */
  tolerances: Partial<Record<PhaseName, Tolerance>>;
}

export type LoadScript = 'journey' | 'browse' | 'checkout-burst';

/**
 * What a crash loses by design, measured during the run and stated in the report:
 * - `cart-writes`: acknowledged cart writes that did not survive a Redis crash (a writer adds to one
 *   cart every 50 ms through the public API; after the restart its cart is read back).
 */
export type LossMeter = 'cart-writes';

export interface Scenario {
  name: string;
  title: I18n;
  hypothesis: I18n;
  /** What a pass proves, in one sentence (the catalogue table in the README quotes it). */
  proves: I18n;
  /**
   * The k6 script and its iterations per second; `adminRate` adds admin stock writes per second beside
   * it (`PUT /api/products/:id/stock`, k6 scenario `admin`), for scenarios whose fault touches the
   * catalog's write path while the script itself does not write (browse).
   */
  load: { script: LoadScript; rate: number; adminRate?: number };
  /** Default phase lengths, seconds; `--duration` scales them together. */
  phases: { baselineS: number; faultS: number; recoveryS: number };
  probes: Probe[];
  /** The faults; a function of a seeded random source for scenarios that draw them (game day). */
  method: MethodStep[] | ((random: () => number) => MethodStep[]);
  /** Invariant ids of DESIGN.md §4 that must hold after the run (all five unless narrowed). */
  invariants?: number[];
  /** Losses by design to measure (see LossMeter); the report gives each with its figures. */
  losses?: LossMeter[];
}

/** Identity function that gives a scenario module its type. */
export const defineScenario = (scenario: Scenario): Scenario => scenario;

const i18n = z.object({ en: z.string().min(1), 'pt-BR': z.string().min(1) });
const tolerance = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    mode: z.enum(['all', 'any', 'last']),
    ofBaseline: z.object({ times: z.number().positive() }).optional(),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, 'a tolerance needs min or max');
const fraction = z.number().min(0).max(1);

function faultSchema(proxyNames: Set<string>, processNames: Set<string>) {
  const proxies = z
    .array(z.string().refine((name) => proxyNames.has(name), { error: (issue) => `unknown proxy ${issue.input}` }))
    .min(1);
  const processName = z
    .string()
    .refine((name) => processNames.has(name), { error: (issue) => `unknown process ${issue.input}` });
  return z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('toxic'),
      proxies,
      toxic: z.object({
        type: z.enum(['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data']),
        stream: z.enum(['upstream', 'downstream']).optional(),
        toxicity: fraction.optional(),
        attributes: z.record(z.string(), z.number().nonnegative()),
      }),
    }),
    z.object({ kind: z.literal('disable'), proxies }),
    z.object({ kind: z.enum(['kill', 'crash', 'stop', 'pause']), process: processName }),
  ]);
}

/** The scenario, checked against the proxies and processes that exist; throws listing every problem. */
export function validateScenario(
  scenario: Scenario,
  method: MethodStep[],
  known: { proxies: string[]; processes: string[] },
): void {
  const schema = z.object({
    name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    title: i18n,
    hypothesis: i18n,
    proves: i18n,
    load: z
      .object({
        script: z.enum(['journey', 'browse', 'checkout-burst']),
        rate: z.number().positive().max(200),
        adminRate: z.number().positive().max(10).optional(),
      })
      .refine((load) => load.adminRate === undefined || load.script !== 'checkout-burst', {
        error: 'adminRate needs a script with an admin writer (journey, browse)',
      }),
    phases: z.object({
      baselineS: z.number().min(5),
      faultS: z.number().min(5),
      recoveryS: z.number().min(5),
    }),
    probes: z
      .array(
        z.object({
          name: z.string().regex(/^[a-z0-9_]+$/),
          title: i18n,
          query: z.string().min(1),
          unit: z.string(),
          tolerances: z.object({
            baseline: tolerance
              .refine((t) => t.ofBaseline === undefined, 'the baseline cannot be relative to itself')
              .optional(),
            fault: tolerance.optional(),
            recovery: tolerance.optional(),
          }),
        }),
      )
      .min(1),
    method: z
      .array(
        z
          .object({
            at: fraction,
            until: fraction.optional(),
            fault: faultSchema(new Set(known.proxies), new Set(known.processes)),
          })
          .refine((step) => (step.until ?? 1) > step.at, 'a step must end after it starts'),
      )
      .min(1),
    invariants: z.array(z.number().int().min(1).max(5)).optional(),
    losses: z.array(z.enum(['cart-writes'])).optional(),
  });
  const parsed = schema.safeParse({ ...scenario, method });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(scenario)'}: ${issue.message}`);
    throw new Error(`scenario ${scenario.name} is not valid:\n${problems.join('\n')}`);
  }
}
