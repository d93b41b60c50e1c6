/**
 * A run report's content, section by section, in the order a reader asks: did it hold (verdict,
 * hypothesis), what was done (method), what happened (figures), how fast (detect, recover), and the
 * evidence behind it (k6, auditor, traces, environment, reproduction).
 */
import type { Environment, Lang, ResolvedTolerance, RunResult } from '../run-result';
import { bibtex, runBib } from './bibtex';
import { type Cell, DocumentBuilder, type ReportDocument } from './document';
import {
  displayUnit,
  formatIn,
  formatNumber,
  formatUtc,
  runEnd,
  runOrigin,
  sinceStart,
  toleranceWords,
} from './format';
import { fill, type ReportStrings } from './i18n';
import { methodBlocks, runMethod } from './method';
import { probesSection, timelineSection, traceFigureBlocks } from './run-figures';
import { scoreRun } from './scorecard';

/** The machine and versions a run ran on: node, OS, CPUs, memory, commit, mode, then every version. */
export function machineRows(env: Environment, s: ReportStrings, lang: Lang): Cell[][] {
  return [
    [s.itemNode, env.node],
    [s.itemOs, env.os],
    [s.itemCpus, env.cpus],
    [s.itemMemory, formatNumber(env.memoryGiB, lang)],
    [s.itemCommit, { code: env.gitCommit }],
    [s.itemMode, env.mode],
    ...Object.entries(env.versions).map(([name, version]): Cell[] => [
      fill(s.itemVersion, { name }),
      { code: version },
    ]),
  ];
}

export function toleranceText(tolerance: ResolvedTolerance, unit: string, s: ReportStrings, lang: Lang): string {
  const value = (v: number) => `${formatIn(v, unit, lang)} ${displayUnit(unit, lang).label}`;
  const { relative } = tolerance;
  // A relative bound shows how it came from this run's baseline: "≤ 150 ms (2 × the baseline's 25 ms + 100 ms)".
  const bound = (key: 'min' | 'max') => {
    const offset = relative?.[key];
    if (relative === undefined || offset === undefined) return value(tolerance[key] ?? Number.NaN);
    const from = fill(s.ofBaseline, {
      times: formatNumber(relative.times, lang),
      level: relative.baseline === null ? s.noData : value(relative.baseline),
      offset: value(offset),
    });
    const resolved = tolerance[key];
    return resolved === undefined ? from : `${value(resolved)} (${from})`;
  };
  return toleranceWords(tolerance, bound, s);
}

const seconds = (value: number | null, lang: Lang) => formatNumber(value, lang, 1);

export function buildRunDocument(result: RunResult, lang: Lang): ReportDocument {
  const doc = new DocumentBuilder(lang);
  const { s } = doc;
  const origin = runOrigin(result);
  const t = (epochMs: number) => sinceStart(epochMs, origin, lang);
  const phaseName = (name: string) => s[`phase_${name}` as 'phase_fault'] ?? name;
  const score = scoreRun(result);
  const held = result.audit.results.filter((r) => r.ok).length;

  const summary = doc.section('summary', s.sectionSummary, s.readSummary);
  if (result.aborted)
    summary.blocks.push({ kind: 'callout', tone: 'warn', text: [fill(s.aborted, { reason: result.aborted })] });
  // An INVALID run has no verdict to give: the callout says why it was not judged instead.
  summary.blocks.push(
    result.invalid !== undefined
      ? { kind: 'callout', tone: 'warn', text: [{ strong: fill(s.invalid, { reason: result.invalid }) }] }
      : {
          kind: 'callout',
          tone: result.verdict.ok ? 'pass' : 'fail',
          text: [
            { strong: fill(s.verdictLine, { verdict: result.verdict.ok ? s.pass : s.fail }) },
            ` — ${result.scenario.hypothesis[lang]}`,
          ],
        },
  );
  const summaryRows: Cell[][] = [
    [s.colScenario, `${result.scenario.title[lang]} (${result.scenario.name})`],
    [s.colHypothesis, result.scenario.hypothesis[lang]],
    [s.colProves, result.scenario.proves[lang]],
    [s.colVerdict, doc.outcome(result.verdict.ok, result.invalid)],
    ...(result.verdict.reasons.length > 0 ? [[s.colReasons, result.verdict.reasons.join('; ')]] : []),
    [s.itemScore, formatNumber(score.score, lang, 1)],
    [s.itemTtd, seconds(result.timeToDetectS, lang)],
    [s.itemTtr, seconds(result.timeToRecoverS, lang)],
    [s.itemFailed, formatIn(result.k6.failedRate, 'ratio', lang)],
    [s.itemInvariantsHeld, `${held} / ${result.audit.results.length}`],
    [s.itemStarted, formatUtc(result.startedAt)],
    [s.itemEnded, formatUtc(result.endedAt)],
    [s.itemRunLength, seconds((runEnd(result) - origin) / 1000, lang)],
  ];
  summary.blocks.push(doc.table(s.captionSummary, [s.colItem, s.colValue], summaryRows));

  if (result.validity) {
    const validity = doc.section('validity', s.sectionValidity, s.readValidity);
    validity.blocks.push(
      doc.table(
        s.captionValidity,
        [s.colCheck, s.colVerdict, s.colFound],
        result.validity.map((check) => [s[`check_${check.check}`], doc.verdict(check.ok), check.detail]),
      ),
    );
    if (result.generatorCpu?.length) {
      validity.blocks.push(
        doc.table(
          s.captionGeneratorCpu,
          [s.colPhase, s.colCores, s.colSchedulingDelay],
          result.generatorCpu.map((phase) => [
            phaseName(phase.phase),
            formatNumber(phase.cores, lang, 2),
            formatNumber(phase.delayMs, lang, 2),
          ]),
          [false, true, true],
        ),
      );
    }
  }

  const hypothesis = doc.section('hypothesis', s.sectionHypothesis, s.readHypothesis);
  hypothesis.blocks.push({
    kind: 'paragraph',
    text: [{ strong: `${s.colHypothesis}:` }, ' ', result.scenario.hypothesis[lang]],
  });
  const probeRows = result.probes.flatMap((probe) =>
    probe.phases.map((phase): Cell[] => [
      probe.title[lang],
      phaseName(phase.phase),
      toleranceText(phase.tolerance, probe.unit, s, lang),
      phase.observed === null
        ? '—'
        : `${formatIn(phase.observed, probe.unit, lang)} ${displayUnit(probe.unit, lang).label}`,
      String(phase.samples.length),
      doc.verdict(phase.ok),
    ]),
  );
  hypothesis.blocks.push(
    doc.table(
      s.captionProbes,
      [s.colProbe, s.colPhase, s.colTolerance, s.colObserved, s.colSamples, s.colVerdict],
      probeRows,
      [false, false, false, true, true, false],
    ),
  );
  for (const probe of result.probes) {
    hypothesis.blocks.push({ kind: 'paragraph', text: [{ strong: `${probe.name}:` }, ' ', { code: probe.query }] });
  }

  // The method in prose (method.ts), with the timetable of phases and faults after its fault model.
  const method = doc.section('method', s.sectionMethod, s.readMethod);
  const timetable = [
    doc.table(
      s.captionPhases,
      [s.colPhase, s.colStart, s.colEnd, s.colDuration],
      result.phases.map((p) => [phaseName(p.name), t(p.start), t(p.end), seconds((p.end - p.start) / 1000, lang)]),
      [false, true, true, true],
    ),
    doc.table(
      s.captionFaults,
      [s.colFault, s.colKind, s.colTarget, s.colDetail, s.colStart, s.colRolledBack, s.colDuration],
      result.faults.map((f) => [
        { code: f.id },
        f.kind,
        f.target,
        f.detail,
        t(f.start),
        t(f.end),
        seconds((f.end - f.start) / 1000, lang),
      ]),
      [false, false, false, false, true, true, true],
    ),
  ];
  method.blocks.push(...methodBlocks(runMethod(result, lang), { faults: timetable }));

  timelineSection(doc, result);
  probesSection(doc, result);

  const detection = doc.section('detection', s.sectionDetection, s.readDetection);
  detection.blocks.push(
    doc.table(
      s.captionDetection,
      [s.colItem, s.colValue, s.colDefinition],
      [
        [
          s.itemTtd,
          result.timeToDetectS === null ? `— (${s.neverLeft})` : seconds(result.timeToDetectS, lang),
          s.ttdDefinition,
        ],
        [
          s.itemTtr,
          result.timeToRecoverS === null
            ? `— (${result.timeToDetectS === null ? s.neverLeft : s.neverRecovered})`
            : seconds(result.timeToRecoverS, lang),
          s.ttrDefinition,
        ],
        ...clientRows(result, s, lang),
      ],
    ),
  );

  evidenceSections(doc, result);
  return {
    lang,
    title: `${s.reportTitle}: ${result.scenario.title[lang]}`,
    subtitle: subtitle(result, s),
    howToRead: s.howToRead,
    sections: doc.sections,
  };
}

/** The detection table's client-side rows (runner/client-timeline.ts), when k6 wrote its requests. */
function clientRows(result: RunResult, s: ReportStrings, lang: Lang): string[][] {
  const client = result.clientTimes;
  if (!client) return [];
  const definition = fill(s.ttdClientDefinition, {
    requests: formatNumber(client.requests, lang, 0),
    latency: formatNumber(client.latencyLimitMs, lang, 1),
    p95: formatNumber(client.baselineP95Ms, lang, 1),
    failed: `${formatIn(client.failedShareLimit, 'ratio', lang)} ${displayUnit('ratio', lang).label}`,
  });
  return [
    [
      s.itemTtdClient,
      client.timeToDetectS === null ? `— (${s.clientNever})` : seconds(client.timeToDetectS, lang),
      definition,
    ],
    [
      s.itemTtrClient,
      client.timeToRecoverS === null
        ? `— (${client.timeToDetectS === null ? s.clientNever : s.neverRecovered})`
        : seconds(client.timeToRecoverS, lang),
      s.ttrClientDefinition,
    ],
  ];
}

const subtitle = (result: RunResult, s: ReportStrings) =>
  `${result.scenario.name} · ${formatUtc(result.startedAt)} · ${s.itemSeed} ${result.config.seed} · ${result.environment.gitCommit.split(' ')[0]}`;

function evidenceSections(doc: DocumentBuilder, result: RunResult): void {
  const { s, lang } = doc;
  const k6 = result.k6;
  const load = doc.section('load', s.sectionLoad, s.readLoad);
  const loadRows: Cell[][] = [
    [s.itemScript, { code: k6.script }],
    [s.itemProfile, k6.profile],
    [s.itemRate, formatNumber(result.config.rate, lang)],
    [s.itemRequests, formatNumber(k6.requests, lang)],
    [s.itemFailed, formatIn(k6.failedRate, 'ratio', lang)],
    [s.itemP50, formatNumber(k6.p50Ms, lang)],
    [s.itemP95, formatNumber(k6.p95Ms, lang)],
    [s.itemP99, formatNumber(k6.p99Ms, lang)],
    [s.itemAccepted, formatNumber(k6.acceptedOrders, lang)],
    [s.itemExitCode, String(k6.exitCode)],
    [s.itemSummaryFile, { code: k6.summaryFile }],
  ];
  load.blocks.push(doc.table(s.captionLoad, [s.colItem, s.colValue], loadRows));
  load.blocks.push(
    doc.table(
      s.captionThresholds,
      [s.colMetric, s.colExpression, s.colVerdict],
      k6.thresholds.map((th) => [{ code: th.metric }, { code: th.expression }, doc.verdict(th.ok)]),
    ),
  );

  const invariants = doc.section('invariants', s.sectionInvariants, s.readInvariants);
  invariants.blocks.push(
    doc.table(
      s.captionInvariants,
      [s.colId, s.colInvariant, s.colChecked, s.colViolations, s.colVerdict],
      result.audit.results.map((r) => [
        String(r.id),
        r.name,
        r.checked,
        r.violations.join('; ') || s.none,
        doc.verdict(r.ok),
      ]),
    ),
    { kind: 'paragraph', text: [`${s.itemSettled}: ${formatNumber(result.audit.settledAfterMs / 1000, lang, 1)}`] },
  );

  lossSections(doc, result);

  const traces = doc.section(
    'traces',
    s.sectionTraces,
    result.environment.mode === 'docker' ? s.readTraces : s.readTracesLocal,
  );
  traces.blocks.push(
    doc.table(
      s.captionTraces,
      [s.colRank, s.colTraceId, s.colRootSpan, s.colService, s.colDurationMs],
      result.slowestTraces.map((tr, i) => [
        String(i + 1),
        { code: tr.traceId },
        tr.name,
        tr.service,
        formatNumber(tr.durationMs, lang),
      ]),
      [true, false, false, false, true],
    ),
  );
  if (result.traceFigures) traces.blocks.push(...traceFigureBlocks(doc, result.traceFigures));

  const env = result.environment;
  const c = result.config;
  const environment = doc.section('environment', s.sectionEnvironment, s.readEnvironment);
  environment.blocks.push(
    doc.table(
      s.captionEnvironment,
      [s.colItem, s.colValue],
      [
        ...machineRows(env, s, lang).slice(0, 6),
        [s.itemSeed, { code: String(c.seed) }],
        [s.itemRate, formatNumber(c.rate, lang)],
        [s.itemPhaseLengths, `${c.baselineS} / ${c.faultS} / ${c.recoveryS}`],
        [s.itemLang, lang],
        ...machineRows(env, s, lang).slice(6),
      ],
    ),
  );

  const reproduce = doc.section('reproduce', s.sectionReproduce, s.readReproduce);
  reproduce.blocks.push(
    { kind: 'code', text: result.command },
    { kind: 'paragraph', text: [{ strong: s.citeHint }] },
    {
      kind: 'paragraph',
      text: [
        fill(s.citation, {
          scenario: result.scenario.title[lang],
          started: formatUtc(result.startedAt),
          commit: env.gitCommit,
          seed: c.seed,
          file: 'report.html',
        }),
      ],
    },
    { kind: 'paragraph', text: [{ strong: fill(s.citeBibtex, { file: 'run.bib' }) }] },
    { kind: 'code', language: 'bibtex', text: bibtex(runBib(result, lang)).trimEnd() },
  );
}

/** What crashes cost by design (requests during each crash, cart writes), and every process change. */
function lossSections(doc: DocumentBuilder, result: RunResult): void {
  const { s, lang } = doc;
  const origin = runOrigin(result);
  const losses = result.losses;
  if (losses) {
    const section = doc.section('losses', s.sectionLosses, s.readLosses);
    if (losses.crashWindows.length === 0) section.blocks.push({ kind: 'paragraph', text: [s.noCrashes] });
    else {
      section.blocks.push(
        doc.table(
          s.captionCrashWindows,
          [s.colFault, s.colWindowS, s.colRequests, s.colFailedCount, s.colByStatus],
          losses.crashWindows.map((window) => [
            { code: window.fault },
            formatNumber((window.end - window.start) / 1000, lang, 1),
            formatNumber(window.requests, lang),
            formatNumber(window.failed, lang),
            Object.entries(window.failedByStatus)
              .map(([status, count]) => `${status}: ${count}`)
              .join(', ') || s.none,
          ]),
          [false, true, true, true, false],
        ),
      );
    }
    const cart = losses.cartWrites;
    if (cart) {
      section.blocks.push(
        doc.table(
          fill(s.captionCartWrites, { interval: cart.intervalMs }),
          [s.colItem, s.colValue],
          [
            [s.itemAcknowledged, formatNumber(cart.acknowledged, lang)],
            [s.itemSurvived, formatNumber(cart.survived, lang)],
            [s.itemLost, { strong: formatNumber(cart.lost, lang) }],
            [s.itemLostWindow, formatNumber(cart.lostWindowMs, lang)],
          ],
        ),
      );
    }
  }
  const events = result.processEvents;
  if (!events) return;
  const section = doc.section('processes', s.sectionProcesses, s.readProcesses);
  if (events.length === 0) {
    section.blocks.push({ kind: 'paragraph', text: [s.noProcessEvents] });
    return;
  }
  section.blocks.push(
    doc.table(
      s.captionProcesses,
      [s.colAt, s.colProcess, s.colChange, s.colCause, s.colLastLog],
      events.map((event) => [
        formatNumber((event.at - origin) / 1000, lang, 1),
        { code: event.process },
        `${event.change} (${event.from ?? '–'} → ${event.to ?? '–'})`,
        event.cause ? { code: event.cause } : { verdict: false, text: s.unexpected },
        (event.lastLog ?? []).filter(Boolean).slice(-3).join(' ⏎ ') || s.none,
      ]),
      [true, false, false, false, false],
    ),
  );
}
