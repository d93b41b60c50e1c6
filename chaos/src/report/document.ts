/**
 * A report as a tree of sections and blocks, built once and written twice (Markdown and HTML), so the
 * two files always say the same thing with the same figure and table numbers.
 */
import type { Lang } from '../run-result';
import { fill, type ReportStrings, strings } from './i18n';

/** Inline text: plain, code, bold or a relative link. Data is never parsed as markup. */
export type Inline = string | { code: string } | { strong: string } | { link: string; href: string };

/** A table cell: inline text or a verdict (a badge in HTML, bold in Markdown). */
export type Cell = Inline | { verdict: boolean; text: string };

export type Block =
  | { kind: 'paragraph'; text: Inline[] }
  | { kind: 'howto'; text: string }
  | { kind: 'callout'; tone: 'pass' | 'fail' | 'warn'; text: Inline[] }
  | { kind: 'table'; label: string; caption: string; head: string[]; rows: Cell[][]; numeric?: boolean[] }
  | { kind: 'figure'; label: string; caption: string; svg: string; file: string }
  | { kind: 'list'; items: Inline[][] }
  /** A shell command unless `language` says otherwise (e.g. `bibtex`). */
  | { kind: 'code'; text: string; language?: string };

export type FigureBlock = Extract<Block, { kind: 'figure' }>;

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  lang: Lang;
  title: string;
  subtitle: string;
  howToRead: string;
  sections: Section[];
}

/** Hands out figure and table numbers in reading order, and section numbers in titles. */
export class DocumentBuilder {
  readonly s: ReportStrings;
  private figures = 0;
  private tables = 0;
  readonly sections: Section[] = [];

  constructor(readonly lang: Lang) {
    this.s = strings(lang);
  }

  section(id: string, title: string, howto?: string): Section {
    const section: Section = { id, title: `${this.sections.length + 1}. ${title}`, blocks: [] };
    if (howto) section.blocks.push({ kind: 'howto', text: howto });
    this.sections.push(section);
    return section;
  }

  /** The number the next table will get (for text that refers to it before it is added). */
  nextTableNumber(): number {
    return this.tables + 1;
  }

  table(caption: string, head: string[], rows: Cell[][], numeric?: boolean[]): Block {
    this.tables += 1;
    return { kind: 'table', label: fill(this.s.table, { n: this.tables }), caption, head, rows, numeric };
  }

  /** A numbered figure; `draw` gets an id prefix unique to it and its label (for the SVG's alt text). */
  figure(caption: string, slug: string, draw: (idPrefix: string, label: string) => string): FigureBlock {
    this.figures += 1;
    const n = String(this.figures).padStart(2, '0');
    const label = fill(this.s.figure, { n: this.figures });
    const svg = draw(`fig${n}`, `${label}. ${caption}`);
    return { kind: 'figure', label, caption, svg, file: `figures/fig-${n}-${slug}.svg` };
  }

  verdict(ok: boolean): Cell {
    return { verdict: ok, text: ok ? this.s.pass : this.s.fail };
  }

  /** A run's verdict, or NOT RUN for a run that was not judged (RunResult.invalid). */
  outcome(ok: boolean, notRun: string | undefined): Cell {
    return notRun === undefined ? this.verdict(ok) : { strong: this.s.notRun };
  }
}

/** `fill` into inline text: each `{name}` becomes `values.name`, which may be code or bold. */
export function fillInline(template: string, values: Record<string, Inline | number>): Inline[] {
  return template
    .split(/(\{\w+\})/)
    .filter((piece) => piece !== '')
    .map((piece): Inline => {
      const value = values[piece.slice(1, -1)];
      if (!/^\{\w+\}$/.test(piece) || value === undefined) return piece;
      return typeof value === 'number' ? String(value) : value;
    });
}

/** Plain text of an inline run (for alt text, captions and tests). */
export const plain = (text: Inline | Cell): string =>
  typeof text === 'string'
    ? text
    : 'code' in text
      ? text.code
      : 'strong' in text
        ? text.strong
        : 'link' in text
          ? text.link
          : text.text;

/** Every figure of a document, in order. */
export const figuresOf = (doc: ReportDocument) =>
  doc.sections.flatMap((section) => section.blocks.filter((block): block is FigureBlock => block.kind === 'figure'));
