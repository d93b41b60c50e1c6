/**
 * Writes a report document to a folder: <base>.md, <base>.html and figures/*.svg (the Markdown links
 * the SVG files; the HTML inlines them).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { figuresOf, type ReportDocument } from './document';
import { toHtml } from './html';
import { strings } from './i18n';
import { toMarkdown } from './markdown';

export interface RenderedFiles {
  markdown: string;
  html: string;
  json: string;
}

export async function writeDocument(
  doc: ReportDocument,
  dir: string,
  base: string,
): Promise<{ markdown: string; html: string }> {
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
  return { markdown, html };
}
