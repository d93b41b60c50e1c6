/**
 * Report text as LaTeX, for the thesis export (issue 17.6): method.tex and the .bib entries. Data is
 * never read as markup: LaTeX's ten special characters are escaped, and the Unicode the reports print
 * (×, ±, ≤, →, “ ”, – …) becomes the commands pdfLaTeX knows, so a file compiles with
 * `\usepackage[T1]{fontenc}` under pdfLaTeX as under LuaLaTeX or XeLaTeX.
 */
import type { Inline } from './document';

const specials: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  // Not special, but OT1 prints them as other glyphs, and babel's Portuguese makes " a shorthand.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '"': '\\textquotedbl{}',
  '×': '\\texttimes{}',
  '±': '\\textpm{}',
  '−': '\\textminus{}',
  '≤': '\\ensuremath{\\leq}',
  '≥': '\\ensuremath{\\geq}',
  '≠': '\\ensuremath{\\neq}',
  '≈': '\\ensuremath{\\approx}',
  '→': '\\ensuremath{\\rightarrow}',
  '←': '\\ensuremath{\\leftarrow}',
  '⏎': '\\ensuremath{\\hookleftarrow}',
  Δ: '\\ensuremath{\\Delta}',
  α: '\\ensuremath{\\alpha}',
  µ: '\\textmu{}',
  μ: '\\textmu{}',
  '°': '\\textdegree{}',
  '·': '\\textperiodcentered{}',
  '…': '\\dots{}',
  '–': '--',
  '—': '---',
  '“': '``',
  '”': "''",
  '‘': '`',
  '’': "'",
  '\u00a0': '~',
  '\u202f': '\\,',
};

const specialPattern = new RegExp(
  `[${Object.keys(specials)
    .map((c) => c.replace(/[\\\]^-]/g, '\\$&'))
    .join('')}]`,
  'gu',
);

/** Plain text as LaTeX text: every special character escaped, line breaks as spaces. */
export const texEscape = (text: string): string =>
  text.replace(/\r?\n/g, ' ').replace(specialPattern, (c) => specials[c] ?? c);

/** Code in a typewriter font; `--` stays two hyphens (no en dash), and long code may break at spaces. */
export const texCode = (code: string): string => `\\texttt{${texEscape(code).replace(/-(?=-)/g, '-{}')}}`;

export function texInline(text: Inline): string {
  if (typeof text === 'string') return texEscape(text);
  if ('code' in text) return texCode(text.code);
  if ('strong' in text) return `\\textbf{${texEscape(text.strong)}}`;
  return texEscape(text.link);
}

export const texLine = (text: Inline[]): string => text.map(texInline).join('');
