/**
 * Numbers, units and times as the reports print them. Ratios become percentages and seconds become
 * milliseconds where that is how people read them (an error rate of 2.5 %, a p99 of 180 ms); the
 * conversion is applied to charts and tables alike so a figure and its table always agree.
 */
import type { Lang, ResolvedTolerance, RunResult } from '../run-result';
import { fill, type ReportStrings, strings } from './i18n';

export interface DisplayUnit {
  label: string;
  factor: number;
}

export function displayUnit(unit: string, lang: Lang): DisplayUnit {
  const s = strings(lang);
  switch (unit) {
    case 'ratio':
      return { label: '%', factor: 100 };
    case 's':
      return { label: 'ms', factor: 1000 };
    case 'messages':
      return { label: s.unit_messages, factor: 1 };
    case 'state':
      return { label: s.unit_state, factor: 1 };
    default:
      return { label: unit || '—', factor: 1 };
  }
}

/** Three significant figures below 1, fewer decimals as numbers grow; `—` for a missing value. */
export function formatNumber(value: number | null | undefined, lang: Lang, fractionDigits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const options: Intl.NumberFormatOptions =
    fractionDigits !== undefined
      ? { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }
      : abs === 0 || abs >= 100
        ? { maximumFractionDigits: 0 }
        : abs >= 10
          ? { maximumFractionDigits: 1 }
          : abs >= 1
            ? { maximumFractionDigits: 2 }
            : { maximumSignificantDigits: 3 };
  return new Intl.NumberFormat(lang, options).format(value);
}

/** A value in a unit the report displays (ratio → %, s → ms), formatted. */
export const formatIn = (value: number | null | undefined, unit: string, lang: Lang): string =>
  formatNumber(value === null || value === undefined ? value : value * displayUnit(unit, lang).factor, lang);

/** t = 0 of every figure and table: the start of the first phase (the baseline). */
export function runOrigin(result: RunResult): number {
  const first = result.phases.reduce((min, phase) => Math.min(min, phase.start), Number.POSITIVE_INFINITY);
  if (Number.isFinite(first)) return first;
  const started = Date.parse(result.startedAt);
  return Number.isFinite(started) ? started : 0;
}

/** Seconds since t = 0, one decimal. */
export const sinceStart = (epochMs: number, origin: number, lang: Lang): string =>
  formatNumber((epochMs - origin) / 1000, lang, 1);

/** Epoch ms or ISO text as `2026-11-24 07:10:55 UTC` (UTC so two readers cite the same instant). */
export function formatUtc(time: string | number): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return String(time);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The run's last instant: the latest phase or fault end, else its recorded end. */
export function runEnd(result: RunResult): number {
  const ends = [...result.phases.map((p) => p.end), ...result.faults.map((f) => f.end)];
  if (ends.length > 0) return Math.max(...ends);
  const ended = Date.parse(result.endedAt);
  return Number.isFinite(ended) ? ended : runOrigin(result);
}

/** A tolerance in words, "all samples ≤ …", each bound written by `bound` (the run report shows the
 * resolved value, the method the rule). */
export function toleranceWords(
  tolerance: ResolvedTolerance,
  bound: (key: 'min' | 'max') => string,
  s: ReportStrings,
): string {
  const has = (key: 'min' | 'max') => tolerance[key] !== undefined || tolerance.relative?.[key] !== undefined;
  const range =
    has('min') && has('max')
      ? fill(s.between, { min: bound('min'), max: bound('max') })
      : has('min')
        ? fill(s.atLeast, { min: bound('min') })
        : fill(s.atMost, { max: bound('max') });
  return `${s[`mode_${tolerance.mode}`]} ${range}`;
}
