/**
 * The suite report's content: several runs combined into a resilience scorecard (score per scenario and
 * overall, the method spelled out), a comparison with earlier suites, and a pointer to each run's report.
 */
import type { Lang, RunResult } from '../run-result';
import { scoresSvg } from './charts';
import { type Cell, DocumentBuilder, type ReportDocument } from './document';
import { formatIn, formatNumber, formatUtc } from './format';
import { fill } from './i18n';
import { machineRows } from './run-document';
import { type Component, type Scorecard, WEIGHTS } from './scorecard';
import { type EarlierSuite, scoreIn } from './suite-history';

/** How many earlier suites the comparison table shows (the delta always uses the most recent). */
const SHOWN_EARLIER = 4;

const points = (value: number | null, lang: Lang) => formatNumber(value, lang, 1);

function delta(current: number | null, previous: number | null, lang: Lang, fresh: string): string {
  if (current === null) return '—';
  if (previous === null) return fresh;
  const d = Math.round((current - previous) * 10) / 10;
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${formatNumber(Math.abs(d), lang, 1)}`;
}

export interface SuiteInput {
  results: RunResult[];
  card: Scorecard;
  earlier: EarlierSuite[];
  createdAt: string;
  /** Links from the suite folder to each run's report, in `results` order, when known. */
  reportLinks?: (string | undefined)[];
}

export function buildSuiteDocument(input: SuiteInput, lang: Lang): ReportDocument {
  const { results, card, earlier } = input;
  const doc = new DocumentBuilder(lang);
  const { s } = doc;
  const previous = earlier[0];
  const previousOverall = previous ? previous.scorecard.overall : null;

  const summary = doc.section('summary', s.sectionSummary);
  const judged = card.scenarios.length - card.notRun;
  const allPassed = card.passed === judged && judged > 0;
  const notRun = card.scenarios.filter((sc) => sc.notRun !== undefined);
  summary.blocks.push(
    {
      kind: 'callout',
      tone: !allPassed ? 'fail' : notRun.length ? 'warn' : 'pass',
      text: [{ strong: `${s.itemOverall}: ${points(card.overall, lang)}` }],
    },
    // Each scenario not run, with why: it is not in the score, so the reader must see it here.
    ...notRun.map((sc) => ({
      kind: 'callout' as const,
      tone: 'warn' as const,
      text: [fill(s.notRunLine, { scenario: sc.scenario, reason: sc.notRun ?? '' })],
    })),
    doc.table(
      s.captionSummary,
      [s.colItem, s.colValue],
      [
        [s.itemOverall, points(card.overall, lang)],
        [s.itemPassed, `${card.passed} / ${judged}`],
        [s.itemNotRun, notRun.length ? notRun.map((sc) => sc.scenario).join(', ') : s.none],
        [s.itemPrevious, previous ? `${previous.folder} (${formatUtc(previous.createdAt)})` : s.none],
        [s.itemDelta, delta(card.overall, previousOverall, lang, s.deltaNew)],
        [s.itemStarted, formatUtc(input.createdAt)],
      ],
    ),
  );

  const scoreSection = doc.section('scorecard', s.sectionScorecard, s.readScorecard);
  const pct = (v: number | null) => points(v, lang);
  const rows: Cell[][] = card.scenarios.map((sc) => [
    { code: sc.scenario },
    doc.outcome(sc.ok, sc.notRun),
    pct(sc.components.steadyState),
    pct(sc.components.invariants),
    pct(sc.components.recovery),
    pct(sc.components.thresholds),
    { strong: points(sc.score, lang) },
    delta(sc.score, scoreIn(previous, sc.scenario), lang, s.deltaNew),
  ]);
  rows.push([
    { strong: s.colOverall },
    '',
    '',
    '',
    '',
    '',
    { strong: points(card.overall, lang) },
    delta(card.overall, previousOverall, lang, s.deltaNew),
  ]);
  const head = [
    s.colScenario,
    s.colVerdict,
    s.colSteadyState,
    s.colInvariantsPct,
    s.colRecoveryPct,
    s.colThresholdsPct,
    s.colScore,
    s.colDelta,
  ];
  scoreSection.blocks.push(
    doc.table(s.captionScorecard, head, rows, [false, false, true, true, true, true, true, true]),
  );
  const caption = fill(s.scoreFigureCaption, { previous: previous ? s.scoreFigurePrevious : '' });
  const bars = card.scenarios.flatMap((sc) =>
    sc.score === null ? [] : [{ name: sc.scenario, score: sc.score, previous: scoreIn(previous, sc.scenario) }],
  );
  const names = { current: s.colScore, previous: previous ? formatUtc(previous.createdAt) : undefined };
  scoreSection.blocks.push(doc.figure(caption, 'scores', (id, label) => scoresSvg(bars, lang, names, id, label)));

  const method = doc.section('method', s.sectionScoreMethod);
  method.blocks.push({ kind: 'paragraph', text: [fill(s.scoreMethod, { table: doc.nextTableNumber() })] });
  const componentRows: [Component, string, string][] = [
    ['steadyState', s.componentSteady, s.howSteady],
    ['invariants', s.componentInvariants, s.howInvariants],
    ['recovery', s.componentRecovery, s.howRecovery],
    ['thresholds', s.componentThresholds, s.howThresholds],
  ];
  method.blocks.push(
    doc.table(
      s.captionWeights,
      [s.colComponent, s.colWeight, s.colHow],
      componentRows.map(([key, name, how]) => [name, String(WEIGHTS[key]), how]),
      [false, true, false],
    ),
  );

  const comparison = doc.section('comparison', s.sectionComparison, s.readComparison);
  if (earlier.length === 0) {
    comparison.blocks.push({ kind: 'paragraph', text: [fill(s.noEarlier, { root: 'reports/' })] });
  } else {
    const shown = earlier.slice(0, SHOWN_EARLIER).reverse();
    const scenarios = [
      ...new Set([
        ...card.scenarios.map((sc) => sc.scenario),
        ...shown.flatMap((e) => e.scorecard.scenarios.map((sc) => sc.scenario)),
      ]),
    ];
    const current = (name: string) => card.scenarios.find((sc) => sc.scenario === name)?.score ?? null;
    const compRows: Cell[][] = scenarios.map((name) => [
      { code: name },
      ...shown.map((e) => points(scoreIn(e, name), lang)),
      points(current(name), lang),
      delta(current(name), scoreIn(previous, name), lang, s.deltaNew),
    ]);
    compRows.push([
      { strong: s.colOverall },
      ...shown.map((e) => points(e.scorecard.overall, lang)),
      points(card.overall, lang),
      delta(card.overall, previousOverall, lang, s.deltaNew),
    ]);
    const compHead = [
      s.colScenario,
      ...shown.map((e) => formatUtc(e.createdAt)),
      formatUtc(input.createdAt),
      s.colDelta,
    ];
    comparison.blocks.push(
      doc.table(
        s.captionComparison,
        compHead,
        compRows,
        compHead.map((_, i) => i > 0),
      ),
    );
  }

  runsSections(doc, input);
  return {
    lang,
    title: s.suiteTitle,
    subtitle: `${results.length} × ${s.colScenario.toLowerCase()} · ${formatUtc(input.createdAt)}`,
    howToRead: s.howToRead,
    sections: doc.sections,
  };
}

function runsSections(doc: DocumentBuilder, input: SuiteInput): void {
  const { s, lang } = doc;
  const runs = doc.section('runs', s.sectionRuns);
  runs.blocks.push(
    doc.table(
      s.captionRuns,
      [s.colScenario, s.colStarted, s.colVerdict, s.colTtd, s.colTtr, s.colFailed, s.colReport],
      input.results.map((r, i) => {
        const link = input.reportLinks?.[i];
        return [
          r.scenario.title[lang],
          formatUtc(r.startedAt),
          doc.outcome(r.verdict.ok, r.invalid),
          formatNumber(r.timeToDetectS, lang, 1),
          formatNumber(r.timeToRecoverS, lang, 1),
          formatIn(r.k6.failedRate, 'ratio', lang),
          link ? { link: link.replace(/\/report\.html$/, ''), href: link } : '—',
        ];
      }),
      [false, false, false, true, true, true, false],
    ),
  );
  const env = input.results[0]?.environment;
  if (env) {
    const environment = doc.section('environment', s.sectionEnvironment, s.readEnvironment);
    environment.blocks.push(doc.table(s.captionEnvironment, [s.colItem, s.colValue], [...machineRows(env, s, lang)]));
  }
  const reproduce = doc.section('reproduce', s.sectionReproduce, s.readReproduce);
  reproduce.blocks.push({ kind: 'code', text: input.results.map((r) => r.command).join('\n') });
}
