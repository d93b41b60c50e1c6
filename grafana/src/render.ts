/**
 * Turns a built dashboard into the exact bytes written to grafana/dashboards/<uid>.json: panels numbered
 * in order (Grafana needs unique ids for links and edits; the SDK leaves them unset), object keys sorted
 * at every level, two-space indentation and a trailing newline. The same source always gives the same
 * bytes, which is what lets `--check` compare files instead of parsing them.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key] as Json);
  return sorted;
}

interface Numbered {
  id?: number | null;
  panels?: Numbered[];
}

function numberPanels(panels: Numbered[], next = { id: 1 }): void {
  for (const panel of panels) {
    panel.id = next.id++;
    if (panel.panels) numberPanels(panel.panels, next);
  }
}

export function renderDashboard(built: dashboard.Dashboard): string {
  // A JSON round trip drops undefined fields and gives a plain copy to number without touching `built`.
  const copy = JSON.parse(JSON.stringify(built)) as dashboard.Dashboard & { panels?: Numbered[] };
  numberPanels(copy.panels ?? []);
  return `${JSON.stringify(sortKeys(copy as unknown as Json), null, 2)}\n`;
}
