/**
 * The report's stylesheet, inlined in every HTML report: a readable serif-free page on screen, A4
 * with margins when printed (by a reader's browser or by pdf.ts), tables and figures kept whole across
 * pages, colours kept. System fonts only, so the file makes no request.
 */

/** The printed page, shared by the stylesheet's @page rule and pdf.ts (whose footer sits in the bottom margin). */
export const printPage = {
  format: 'A4',
  margin: { top: '18mm', right: '16mm', bottom: '20mm', left: '16mm' },
} as const;

const { margin } = printPage;

export const reportCss = `
:root { --ink: #1d2125; --muted: #5b6470; --rule: #d9dde3; --pass: #0b6b2b; --pass-bg: #e5f4ea;
  --fail: #a11a1a; --fail-bg: #fbe7e7; --warn: #7a4d00; --warn-bg: #fff3d6; --code-bg: #f3f5f7; }
* { box-sizing: border-box; }
html { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 15px; line-height: 1.5; color: var(--ink); background: #fff; }
body { margin: 0; }
main { max-width: 880px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
.subtitle { color: var(--muted); margin: 0 0 16px; font-variant-numeric: tabular-nums; }
.read { background: var(--code-bg); border-left: 4px solid var(--muted); padding: 10px 14px; margin: 0 0 16px; }
.howto { color: var(--muted); font-style: italic; margin: 0 0 12px; }
nav ul { columns: 2; margin: 0; padding: 0; list-style: none; }
nav a { color: var(--ink); }
.callout { padding: 10px 14px; border-radius: 4px; border: 1px solid; }
.callout.pass { background: var(--pass-bg); border-color: var(--pass); }
.callout.fail { background: var(--fail-bg); border-color: var(--fail); }
.callout.warn { background: var(--warn-bg); border-color: var(--warn); }
figure { margin: 20px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 800px; margin: 0 auto; border: 1px solid var(--rule); }
figcaption { font-size: 0.9rem; color: var(--ink); margin: 6px 0; }
figcaption .label { font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
thead th { text-align: left; border-top: 2px solid var(--ink); border-bottom: 1px solid var(--ink); padding: 6px 8px; vertical-align: bottom; }
tbody td { border-bottom: 1px solid var(--rule); padding: 5px 8px; vertical-align: top; overflow-wrap: break-word; }
tbody tr:last-child td { border-bottom: 2px solid var(--ink); }
.num { text-align: right; }
td.num { white-space: nowrap; }
td code { white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.85em; background: var(--code-bg); padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); border: 1px solid var(--rule); padding: 12px 14px; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
.verdict { display: inline-block; font-weight: bold; font-size: 0.8rem; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.verdict.pass { color: var(--pass); background: var(--pass-bg); }
.verdict.fail { color: var(--fail); background: var(--fail-bg); }
ul.list { margin: 0 0 12px; padding-left: 22px; }
ul.list li { margin: 2px 0; }
@media print {
  @page { size: ${printPage.format}; margin: ${margin.top} ${margin.right} ${margin.bottom} ${margin.left}; }
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  a { color: var(--ink); text-decoration: none; }
  /* Badges, callouts, code and table rules print as on screen (with the PDF's printBackground). */
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section + section h2 { margin-top: 28px; }
  /* A figure or table starts on the next page rather than be cut; one taller than a page breaks
     between rows, never inside one, and repeats its header row. */
  figure, pre, .callout, .read { break-inside: avoid; page-break-inside: avoid; }
  figcaption { break-after: avoid; page-break-after: avoid; }
  figure.chart svg { max-width: 100%; max-height: 120mm; }
  thead { display: table-header-group; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  /* The screen keeps ids and code on one line; a printed page is narrower and must not clip them. */
  td code { white-space: normal; overflow-wrap: anywhere; }
  p { orphans: 3; widows: 3; }
}
`;
