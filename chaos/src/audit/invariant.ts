/** The outcome of checking one invariant (DESIGN.md §4). */
export interface InvariantResult {
  id: number;
  name: string;
  ok: boolean;
  /** What was checked, in figures (e.g. "1 203 orders, all terminal"). */
  checked: string;
  /** One line per violation, naming the orders or products involved (at most a few shown). */
  violations: string[];
}

/** Lists the first few offenders and says how many more there are. */
export function offenders(prefix: string, ids: (string | number)[], shown = 10): string[] {
  if (ids.length === 0) return [];
  const more = ids.length > shown ? ` … and ${ids.length - shown} more` : '';
  return [`${prefix} (${ids.length}): ${ids.slice(0, shown).join(', ')}${more}`];
}
