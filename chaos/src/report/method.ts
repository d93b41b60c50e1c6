/**
 * The "Method" of a run in prose, for a thesis (issue 17.6): setup, load model, fault model,
 * measurement and its resolution, invariants, threats to validity; for repeated trials, how they were
 * run and summarised too. Built from a RunResult alone, so a stored run.json gives the same text. The
 * run report prints it in its method section; method-files.ts writes it as method.md and method.tex.
 */
import type { Lang, ProbeResult, ResolvedTolerance, RunResult } from '../run-result';
import type { Block, Inline } from './document';
import { displayUnit, formatIn, formatNumber, formatUtc, runOrigin, toleranceWords } from './format';
import { fill, type ReportStrings, strings } from './i18n';
import type { TrialsSummary } from './trials';

/** prometheus/prometheus.yml's global scrape_interval (chaos/test/method.test.ts keeps the two equal). */
export const scrapeIntervalS = 5;
/** The step the runner reads its probes at (runner/run-scenario.ts; the detection section says so too). */
export const probeStepS = 2;
/** The services' latency histogram buckets in seconds (services/platform/src/metrics/registry.ts). */
export const latencyBucketsS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The median's bootstrap in stats/statistics.ts's summarize(): resamples and seed. */
export const bootstrap = { resamples: 10_000, seed: 1 };

export type MethodBody = { text: Inline[] } | { items: Inline[][] };

export interface MethodPart {
  id: 'setup' | 'load' | 'faults' | 'measurement' | 'invariants' | 'trials' | 'threats';
  title: string;
  body: MethodBody[];
}

export interface MethodText {
  lang: Lang;
  title: string;
  /** What it is the method of: scenario, start, seed, commit. */
  subtitle: string;
  parts: MethodPart[];
}

/** The rate windows (`[15s]`) a probe's query reads over, in seconds. */
export function rateWindowsS(query: string): number[] {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  const windows = [...query.matchAll(/\[(\d+(?:\.\d+)?)(ms|s|m|h)\]/g)].map(
    ([, value, u]) => Number(value) * (unit[u ?? 's'] ?? 1),
  );
  return [...new Set(windows)].sort((a, b) => a - b);
}

const seconds = (value: number, lang: Lang) => `${formatNumber(value, lang)} s`;

/** A tolerance as the hypothesis sets it (the rule, not this run's resolved bound). */
function rule(tolerance: ResolvedTolerance, unit: string, s: ReportStrings, lang: Lang): string {
  const value = (v: number) => `${formatIn(v, unit, lang)} ${displayUnit(unit, lang).label}`;
  const { relative } = tolerance;
  const bound = (key: 'min' | 'max') => {
    const offset = relative?.[key];
    if (relative !== undefined && offset !== undefined)
      return fill(s.methodOfBaseline, { times: formatNumber(relative.times, lang), offset: value(offset) });
    return value(tolerance[key] ?? Number.NaN);
  };
  return toleranceWords(tolerance, bound, s);
}

function probeItem(probe: ProbeResult, s: ReportStrings, lang: Lang): Inline[] {
  const phases = probe.phases
    .map((phase) => `${s[`phase_${phase.phase}`]}: ${rule(phase.tolerance, probe.unit, s, lang)}`)
    .join('; ');
  return [`${probe.title[lang]} (`, { code: probe.name }, '): ', { code: probe.query }, `. ${phases}.`];
}

const journeys: Record<string, keyof ReportStrings> = {
  journey: 'methodJourneyShopper',
  browse: 'methodJourneyBrowse',
  'checkout-burst': 'methodJourneyBurst',
};

function setup(result: RunResult, s: ReportStrings, lang: Lang): MethodPart {
  const env = result.environment;
  return {
    id: 'setup',
    title: s.methodPartSetup,
    body: [
      {
        text: [
          fill(s.methodSetup, {
            title: result.scenario.title[lang],
            scenario: result.scenario.name,
            mode: env.mode === 'docker' ? s.methodModeDocker : s.methodModeLocal,
            cpus: env.cpus,
            memory: formatNumber(env.memoryGiB, lang),
            os: env.os,
            node: env.node,
            commit: env.gitCommit,
            seed: result.config.seed,
          }),
        ],
      },
      { text: [s.methodVersions] },
      { items: Object.entries(env.versions).map(([name, version]): Inline[] => [`${name} `, { code: version }]) },
    ],
  };
}

function load(result: RunResult, s: ReportStrings, lang: Lang): MethodPart {
  const { k6, config } = result;
  const journey = journeys[k6.script.replace(/^.*\//, '').replace(/\.js$/, '')] ?? 'methodJourneyOther';
  const body: MethodBody[] = [
    {
      text: [
        fill(k6.profile === 'chaos' ? s.methodLoadOpen : s.methodLoadProfile, {
          script: k6.script,
          journey: s[journey],
          profile: k6.profile,
          rate: formatNumber(config.rate, lang),
          total: formatNumber(config.baselineS + config.faultS + config.recoveryS, lang),
          baseline: formatNumber(config.baselineS, lang),
          fault: formatNumber(config.faultS, lang),
          recovery: formatNumber(config.recoveryS, lang),
        }),
      ],
    },
  ];
  if (k6.exitCode !== -1) {
    body.push({
      text: [
        fill(s.methodLoadMeasured, {
          requests: formatNumber(k6.requests, lang),
          failed: formatIn(k6.failedRate, 'ratio', lang),
          p95: formatNumber(k6.p95Ms, lang),
          p99: formatNumber(k6.p99Ms, lang),
          orders: formatNumber(k6.acceptedOrders, lang),
        }),
      ],
    });
  }
  if (k6.thresholds.length > 0) {
    body.push(
      { text: [s.methodThresholds] },
      { items: k6.thresholds.map((th): Inline[] => [{ code: `${th.metric}: ${th.expression}` }]) },
    );
  }
  return { id: 'load', title: s.methodPartLoad, body };
}

const faultKinds: Record<string, keyof ReportStrings> = {
  disable: 'methodKindDisable',
  kill: 'methodKindKill',
  crash: 'methodKindCrash',
  stop: 'methodKindStop',
  pause: 'methodKindPause',
};

function faults(result: RunResult, s: ReportStrings, lang: Lang): MethodPart {
  const origin = runOrigin(result);
  const since = (epochMs: number) => formatNumber((epochMs - origin) / 1000, lang, 1);
  if (result.faults.length === 0)
    return {
      id: 'faults',
      title: s.methodPartFaults,
      body: [{ text: [s.methodFaults] }, { text: [s.methodNoFaults] }],
    };
  const items = result.faults.map((fault): Inline[] => [
    { code: fault.id },
    ': ',
    fill(s.methodFaultItem, {
      kind: fault.kind,
      how: fill(s[faultKinds[fault.kind] ?? 'methodKindToxic'], { kind: fault.kind }),
      target: fault.target,
      detail: fault.detail,
      start: since(fault.start),
      end: since(fault.end),
      duration: formatNumber((fault.end - fault.start) / 1000, lang, 1),
    }),
  ]);
  return { id: 'faults', title: s.methodPartFaults, body: [{ text: [s.methodFaults] }, { items }] };
}

function measurement(result: RunResult, s: ReportStrings, lang: Lang): MethodPart {
  const windows = [...new Set(result.probes.flatMap((probe) => rateWindowsS(probe.query)))].sort((a, b) => a - b);
  const body: MethodBody[] = [
    { text: [fill(s.methodMeasurement, { scrape: scrapeIntervalS, step: probeStepS })] },
    result.probes.length > 0
      ? { items: result.probes.map((probe) => probeItem(probe, s, lang)) }
      : { text: [s.methodNoProbes] },
    {
      text: [
        fill(s.methodResolution, {
          step: probeStepS,
          scrape: scrapeIntervalS,
          windows: windows.length > 0 ? windows.map((w) => seconds(w, lang)).join(', ') : s.methodNoWindows,
        }),
      ],
    },
    {
      items: [
        [{ strong: `${s.methodTtd}:` }, ` ${s.ttdDefinition}`],
        [{ strong: `${s.methodTtr}:` }, ` ${s.ttrDefinition}`],
      ],
    },
  ];
  return { id: 'measurement', title: s.methodPartMeasurement, body };
}

function invariants(result: RunResult, s: ReportStrings, lang: Lang): MethodPart {
  const results = result.audit.results;
  const body: MethodBody[] =
    results.length === 0
      ? [{ text: [s.methodNoInvariants] }]
      : [
          {
            text: [fill(s.methodInvariants, { settled: formatNumber(result.audit.settledAfterMs / 1000, lang, 1) })],
          },
          { items: results.map((r): Inline[] => [{ strong: `${r.id}.` }, ` ${r.name}`]) },
        ];
  return { id: 'invariants', title: s.methodPartInvariants, body };
}

interface TrialCounts {
  trials: number;
  valid: number;
  excluded: number;
}

function threats(result: RunResult, s: ReportStrings, lang: Lang, trials?: TrialCounts): MethodPart {
  const env = result.environment;
  const windows = [...new Set(result.probes.flatMap((probe) => rateWindowsS(probe.query)))];
  const quantiles = result.probes.filter((probe) => probe.query.includes('histogram_quantile'));
  const relative = result.probes.some((probe) => probe.phases.some((phase) => phase.tolerance.relative));
  const items: string[] = [
    fill(s.methodThreatMachine, { cpus: env.cpus }),
    env.mode === 'docker' ? s.methodThreatNetworkDocker : s.methodThreatNetworkLocal,
    fill(s.methodThreatHistograms, {
      buckets: latencyBucketsS.map((b) => formatNumber(b, lang)).join(', '),
      probes: quantiles.length > 0 ? quantiles.map((probe) => probe.name).join(', ') : s.none,
    }),
    fill(s.methodThreatWindows, {
      windows: windows.length > 0 ? windows.map((w) => seconds(w, lang)).join(', ') : s.methodNoWindows,
      step: probeStepS,
    }),
    ...(relative ? [fill(s.methodThreatBaseline, { baseline: formatNumber(result.config.baselineS, lang) })] : []),
    trials ? fill(s.methodThreatTrials, { trials: trials.trials, valid: trials.valid }) : s.methodThreatOneRun,
    s.methodThreatState,
    s.methodThreatWorkload,
    ...(result.aborted ? [fill(s.methodThreatAborted, { reason: result.aborted })] : []),
    ...(result.invalid ? [fill(s.methodThreatInvalid, { reason: result.invalid })] : []),
  ];
  return { id: 'threats', title: s.methodPartThreats, body: [{ items: items.map((item) => [item]) }] };
}

function trialsPart(counts: TrialCounts, confidence: number, s: ReportStrings, lang: Lang): MethodPart {
  return {
    id: 'trials',
    title: s.methodPartTrials,
    body: [
      { text: [fill(s.methodTrials, { ...counts })] },
      {
        text: [
          fill(s.methodTrialsStatistics, {
            confidence: Math.round(confidence * 100),
            resamples: formatNumber(bootstrap.resamples, lang),
            seed: bootstrap.seed,
          }),
        ],
      },
    ],
  };
}

const subtitleOf = (result: RunResult, s: ReportStrings) =>
  `${result.scenario.name} · ${formatUtc(result.startedAt)} · ${s.itemSeed} ${result.config.seed} · ${result.environment.gitCommit.split(' ')[0]}`;

/** The method of one run. */
export function runMethod(result: RunResult, lang: Lang): MethodText {
  const s = strings(lang);
  return {
    lang,
    title: fill(s.methodTitle, { title: result.scenario.title[lang] }),
    subtitle: subtitleOf(result, s),
    parts: [
      setup(result, s, lang),
      load(result, s, lang),
      faults(result, s, lang),
      measurement(result, s, lang),
      invariants(result, s, lang),
      threats(result, s, lang),
    ],
  };
}

/** The method of repeated trials: the first counted trial's run method, how the trials were run and summarised. */
export function trialsMethod(results: RunResult[], summary: TrialsSummary, lang: Lang): MethodText | undefined {
  const first = results[(summary.valid[0] ?? 1) - 1] ?? results[0];
  if (!first) return undefined;
  const s = strings(lang);
  const counts = { trials: summary.trials, valid: summary.valid.length, excluded: summary.excluded.length };
  const confidence = summary.metrics.find((m) => m.summary)?.summary?.confidence ?? 0.95;
  const parts = [
    setup(first, s, lang),
    load(first, s, lang),
    faults(first, s, lang),
    measurement(first, s, lang),
    invariants(first, s, lang),
    trialsPart(counts, confidence, s, lang),
    threats(first, s, lang, counts),
  ];
  return {
    lang,
    title: fill(s.methodTitle, { title: fill(s.trialsTitle, { title: first.scenario.title[lang] }) }),
    subtitle: fill(s.trialsSubtitle, { scenario: summary.scenario, trials: summary.trials }),
    parts,
  };
}

/**
 * The method as report blocks: each part a paragraph led by its title in bold, then its lists;
 * `after` puts the report's own blocks (its phases and faults tables) at the end of a part.
 */
export function methodBlocks(method: MethodText, after: Partial<Record<MethodPart['id'], Block[]>> = {}): Block[] {
  return method.parts.flatMap((part): Block[] => {
    const blocks: Block[] = [];
    let titled = false;
    for (const piece of part.body) {
      if ('text' in piece) {
        blocks.push({
          kind: 'paragraph',
          text: titled ? piece.text : [{ strong: `${part.title}.` }, ' ', ...piece.text],
        });
      } else {
        if (!titled) blocks.push({ kind: 'paragraph', text: [{ strong: `${part.title}.` }] });
        blocks.push({ kind: 'list', items: piece.items });
      }
      titled = true;
    }
    return [...blocks, ...(after[part.id] ?? [])];
  });
}
