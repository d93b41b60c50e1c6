/**
 * Opens a report in headless Chromium (chromium.ts), saves a full-page PNG and says what a reader's
 * browser would have complained about. Best-effort for the runner: without Chromium it returns
 * undefined and says why on stderr.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumMissing, launchChromium } from './chromium';

export { chromiumPath } from './chromium';

export interface ScreenshotOutcome {
  /** Console errors, page errors, failed requests and any request that left the file itself. */
  consoleErrors: string[];
  /** Figures whose inline SVG was laid out with a non-zero size. */
  chartCount: number;
}

const countDrawnCharts = `Array.from(document.querySelectorAll('figure.chart svg')).filter((svg) => {
  const box = svg.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && svg.querySelectorAll('path, polygon, text').length > 0;
}).length`;

export async function screenshotReport(htmlFile: string, pngFile: string): Promise<ScreenshotOutcome | undefined> {
  const missing = chromiumMissing();
  if (missing) {
    process.stderr.write(`report screenshot skipped: ${missing}\n`);
    return undefined;
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 1 });
    const url = pathToFileURL(resolve(htmlFile)).href;
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${String(error)}`));
    page.on('requestfailed', (request) => consoleErrors.push(`request failed: ${request.url()}`));
    page.on('request', (request) => {
      if (request.url() !== url && !request.url().startsWith('data:'))
        consoleErrors.push(`external request: ${request.url()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    // A string, not a function: this workspace compiles without the DOM's types.
    const chartCount = Number(await page.evaluate(countDrawnCharts));
    await page.screenshot({ path: pngFile, fullPage: true });
    return { consoleErrors, chartCount };
  } finally {
    await browser.close();
  }
}
