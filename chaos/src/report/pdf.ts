/**
 * A written report also as PDF, for a thesis (issue 17.6): Chromium prints <base>.html to <base>.pdf
 * (A4 and margins from html-style.ts's printPage, the print CSS keeping figures and tables whole, the
 * title and "page / pages" in the footer, backgrounds printed so the verdict badges keep their
 * colours), and each figures/fig-NN-slug.svg to figures/fig-NN-slug.pdf on a page of the SVG's own
 * size with no margin, for `\includegraphics`. Chromium's PDF back end keeps SVG as paths and text as
 * fonts: every figure stays vector. One browser launch per document. Best-effort like the screenshot:
 * without Chromium, or if printing fails, it says why on one stderr line and the report stands without
 * its PDFs. CONFEITARIA_REPORT_PDF=0 turns it off.
 */
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumMissing, launchChromium } from './chromium';
import { printPage } from './html-style';

export const pdfWanted = () => process.env.CONFEITARIA_REPORT_PDF !== '0';

export interface PrintJob {
  /** The written HTML report and where its PDF goes. */
  html: string;
  pdf: string;
  /** Each figure's SVG markup and where its PDF goes. */
  figures: { svg: string; pdf: string }[];
}

/** The footer Chromium draws in each page's bottom margin; it sees none of the page's styles. */
const footerTemplate = `<div style="box-sizing: border-box; width: 100%; padding: 0 ${printPage.margin.right} 0 ${printPage.margin.left}; display: flex; justify-content: space-between; gap: 12px; font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 7.5pt; color: #5b6470;">
<span class="title" style="overflow: hidden; white-space: nowrap; text-overflow: ellipsis;"></span>
<span style="white-space: nowrap;"><span class="pageNumber"></span> / <span class="totalPages"></span></span>
</div>`;

/** The root <svg>'s width and height in CSS pixels (the charts' are whole numbers). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = svg.match(/<svg\b[^>]*>/)?.[0] ?? '';
  const dimension = (name: string) => Number(root.match(new RegExp(`\\s${name}="([\\d.]+)(?:px)?"`))?.[1]);
  const width = dimension('width');
  const height = dimension('height');
  if (!(width > 0 && height > 0)) throw new Error('a figure without a width and height in pixels');
  return { width, height };
}

const figurePage = (svg: string) => `<!doctype html>
<html><head><meta charset="utf-8"><style>
@page { margin: 0; }
html, body { margin: 0; padding: 0; background: #fff; }
svg { display: block; }
</style></head><body>${svg}</body></html>`;

/** Prints the job's PDFs; false (and why, on stderr) when it could not. Never throws. */
export async function printPdfs(job: PrintJob): Promise<boolean> {
  // A PDF left from an earlier rendering would no longer say what the HTML says.
  await rm(job.pdf, { force: true });
  const missing = chromiumMissing();
  if (missing) {
    process.stderr.write(`report PDF skipped: ${missing}\n`);
    return false;
  }
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(pathToFileURL(resolve(job.html)).href, { waitUntil: 'load' });
    await page.pdf({
      path: job.pdf,
      format: printPage.format,
      margin: printPage.margin,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate,
      outline: true,
      tagged: true,
    });
    for (const figure of job.figures) {
      const { width, height } = svgSize(figure.svg);
      await page.setContent(figurePage(figure.svg), { waitUntil: 'load' });
      await page.pdf({
        path: figure.pdf,
        width: `${width}px`,
        height: `${height}px`,
        margin: { top: 0, right: 0, bottom: 0, left: 0 },
        printBackground: true,
        pageRanges: '1',
      });
    }
    return true;
  } catch (error) {
    await rm(job.pdf, { force: true });
    process.stderr.write(`report PDF skipped: ${(error as Error).message.split('\n')[0]}\n`);
    return false;
  } finally {
    await browser?.close();
  }
}
