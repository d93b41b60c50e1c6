/**
 * Writes a report document to a folder: <base>.md, <base>.html and figures/*.svg (the Markdown links
 * the SVG files; the HTML inlines them), then, for a thesis (issue 17.6), <base>.pdf and each figure
 * as figures/*.pdf (pdf.ts), the document's BibTeX entry and, given one, its method as method.md and
 * method.tex.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BibEntry, bibtex } from './bibtex';
import { figuresOf, type ReportDocument } from './document';
import { toHtml } from './html';
import { strings } from './i18n';
import { toMarkdown } from './markdown';
import type { MethodText } from './method';
import { methodMarkdown, methodTex } from './method-files';
import { pdfWanted, printPdfs } from './pdf';

export interface RenderedFiles {
  markdown: string;
  html: string;
  json: string;
  /** Absent when it was not printed (no Chromium, or CONFEITARIA_REPORT_PDF=0). */
  pdf?: string;
  bib?: string;
  method?: { markdown: string; tex: string };
}

export interface ThesisExtras {
  /** Written as run.bib for a run report (base `report`), else as <base>.bib. */
  bib?: BibEntry;
  method?: MethodText;
}

export async function writeDocument(
  doc: ReportDocument,
  dir: string,
  base: string,
  extras: ThesisExtras = {},
): Promise<Omit<RenderedFiles, 'json'>> {
  await mkdir(dir, { recursive: true });
  // Figures are numbered per document: stale ones from an earlier rendering would be misleading.
  await rm(join(dir, 'figures'), { recursive: true, force: true });
  const figures = figuresOf(doc);
  if (figures.length > 0) await mkdir(join(dir, 'figures'));
  await Promise.all(figures.map((figure) => writeFile(join(dir, figure.file), `${figure.svg}\n`)));
  const noRows = strings(doc.lang).noRows;
  const markdown = join(dir, `${base}.md`);
  const html = join(dir, `${base}.html`);
  await writeFile(markdown, toMarkdown(doc, noRows));
  await writeFile(html, toHtml(doc, noRows));
  const written: Omit<RenderedFiles, 'json'> = { markdown, html };
  if (extras.bib) {
    written.bib = join(dir, `${base === 'report' ? 'run' : base}.bib`);
    await writeFile(written.bib, bibtex(extras.bib));
  }
  if (extras.method) {
    written.method = { markdown: join(dir, 'method.md'), tex: join(dir, 'method.tex') };
    await writeFile(written.method.markdown, methodMarkdown(extras.method));
    await writeFile(written.method.tex, methodTex(extras.method, extras.bib?.key ?? 'method'));
  }
  if (pdfWanted()) {
    const pdf = join(dir, `${base}.pdf`);
    const job = {
      html,
      pdf,
      figures: figures.map((figure) => ({ svg: figure.svg, pdf: join(dir, figure.file.replace(/\.svg$/, '.pdf')) })),
    };
    if (await printPdfs(job)) written.pdf = pdf;
  }
  return written;
}
