/**
 * The thesis export (issue 17.6) read back with poppler, as a reader's PDF viewer and LaTeX would:
 * every page of the report renders (pdftoppm), every page is A4 (pdfinfo), the figures are vector —
 * no raster image anywhere (pdfimages), their text still text (pdftotext) — and each figure's PDF is a
 * page of its SVG's own size, ready for \includegraphics.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { svgSize } from '../src/report/pdf';
import { renderRun, renderSuite } from '../src/report/render';
import { buildFailingRunResult, buildRunResult } from './fixtures/run-result-fixture';

const poppler = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

/** Each page's size in points, from `pdfinfo -f 1 -l <pages>`. */
function pageSizes(pdf: string): { width: number; height: number; name: string }[] {
  const pages = Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', [pdf]))?.[1]);
  assert.ok(pages > 0, `${pdf} has pages`);
  const lines = poppler('pdfinfo', ['-f', '1', '-l', String(pages), pdf]).matchAll(
    /^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts(?: \((\w+)\))?/gm,
  );
  const sizes = [...lines].map((m) => ({ width: Number(m[1]), height: Number(m[2]), name: m[3] ?? '' }));
  assert.equal(sizes.length, pages, 'a size for every page');
  return sizes;
}

/** Raster images in a PDF: `pdfimages -list` prints two header lines, then one line per image. */
const rasterImages = (pdf: string) => poppler('pdfimages', ['-list', pdf]).trim().split('\n').slice(2);

/** Renders every page at 20 dpi in grey (PGM) and counts each page's inked pixels. */
async function inkPerPage(pdf: string, dir: string): Promise<number[]> {
  poppler('pdftoppm', ['-r', '20', '-gray', pdf, join(dir, 'page')]);
  const files = (await readdir(dir)).filter((name) => name.startsWith('page') && name.endsWith('.pgm')).sort();
  return Promise.all(
    files.map(async (name) => {
      const pgm = await readFile(join(dir, name));
      // P5 <width> <height> <max>\n then one byte per pixel
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
      assert.ok(header, `${name} is a binary PGM`);
      const pixels = pgm.subarray(header[0].length);
      assert.equal(pixels.length, Number(header[1]) * Number(header[2]), `${name}: every pixel rendered`);
      return pixels.filter((value) => value < 160).length;
    }),
  );
}

const a4 = { width: 595.28, height: 841.89 };

async function assertThesisPdf(pdf: string | undefined, scratch: string) {
  assert.ok(pdf, 'a PDF was printed (Chromium is in stack/debian-packages.txt)');
  const sizes = pageSizes(pdf);
  for (const [i, size] of sizes.entries()) {
    assert.ok(
      Math.abs(size.width - a4.width) < 1 && Math.abs(size.height - a4.height) < 1,
      `page ${i + 1} is A4, not ${size.width} × ${size.height} pt`,
    );
  }
  const ink = await inkPerPage(pdf, await mkdtemp(join(scratch, 'pages-')));
  assert.equal(ink.length, sizes.length, 'pdftoppm rendered every page');
  for (const [i, inked] of ink.entries()) assert.ok(inked > 50, `page ${i + 1} has content (${inked} inked pixels)`);
  assert.deepEqual(rasterImages(pdf), [], 'no raster image: every figure stays vector');
  return { pages: sizes.length, text: poppler('pdftotext', ['-layout', pdf, '-']) };
}

test('the run report prints as an A4 PDF whose pages all render, with vector figures and their PDFs', {
  timeout: 180_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'report-pdf-'));
  const result = buildRunResult();
  const files = await renderRun(result, dir);
  const { pages, text } = await assertThesisPdf(files.pdf, dir);
  assert.ok(pages >= 2, `a report of ${pages} pages`);
  assert.match(text, new RegExp(result.scenario.name), 'the scenario named in the text layer');
  assert.match(text, /p95/, "the charts' labels are text, not outlines");

  const figures = (await readdir(join(dir, 'figures'))).sort();
  const svgs = figures.filter((name) => name.endsWith('.svg'));
  assert.ok(svgs.length >= result.timeline.length, `${svgs.length} figures`);
  for (const svg of svgs) {
    const pdf = join(dir, 'figures', svg.replace(/\.svg$/, '.pdf'));
    assert.ok(figures.includes(svg.replace(/\.svg$/, '.pdf')), `${svg} has its PDF`);
    const [page, ...more] = pageSizes(pdf);
    assert.equal(more.length, 0, `${svg}: one page`);
    const { width, height } = svgSize(await readFile(join(dir, 'figures', svg), 'utf8'));
    // CSS pixels to points: 72 / 96
    assert.ok(
      page && Math.abs(page.width - width * 0.75) < 1 && Math.abs(page.height - height * 0.75) < 1,
      `${svg}: a page of the SVG's own size (${width} × ${height} px), not ${page?.width} × ${page?.height} pt`,
    );
    assert.deepEqual(rasterImages(pdf), [], `${svg}'s PDF is vector`);
  }
});

test('the suite report prints as an A4 PDF too, in Portuguese', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'suite-pdf-'));
  const files = await renderSuite([buildRunResult(), buildFailingRunResult()], join(dir, 'x-suite'), { lang: 'pt-BR' });
  const { text } = await assertThesisPdf(files.pdf, dir);
  assert.match(text, /broker-outage/);
});
