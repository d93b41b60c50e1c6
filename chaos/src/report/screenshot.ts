/**
 * Opens a report in headless Chromium (Debian's `chromium` package, not a downloaded build), saves a
 * full-page PNG and says what a reader's browser would have complained about. Best-effort for the
 * runner: without Chromium it returns undefined and says why on stderr.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

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

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export async function screenshotReport(htmlFile: string, pngFile: string): Promise<ScreenshotOutcome | undefined> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    process.stderr.write(
      `report screenshot skipped: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
    );
    return undefined;
  }
  // Loaded on demand: an ES module, and only needed when a screenshot is asked for.
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespace for the sandbox; the page is our own local file.
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--no-first-run', '--font-render-hinting=none'],
  });
  try {
    const page = await browser.newPage();
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
    await page.setViewport({ width: 1000, height: 800, deviceScaleFactor: 1 });
    await page.goto(url, { waitUntil: 'load' });
    // A string, not a function: this workspace compiles without the DOM's types.
    const chartCount = Number(await page.evaluate(countDrawnCharts));
    await page.screenshot({ path: pngFile as `${string}.png`, fullPage: true });
    return { consoleErrors, chartCount };
  } finally {
    await browser.close();
  }
}
