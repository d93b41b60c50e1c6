/**
 * The one way the reports use a browser (the screenshot, the PDFs): Debian's `chromium` package, not
 * a downloaded build, driven by playwright-core as the storefront's browser tests drive it. Loaded on
 * demand, so rendering a report without printing it never loads a browser driver.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why there is no browser to use here (said on stderr by the callers), or undefined when there is one. */
export function chromiumMissing(): string | undefined {
  const path = chromiumPath();
  return existsSync(path) ? undefined : `no Chromium at ${path} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    // Root in a container has no user namespace for the sandbox; the pages are our own local files.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--font-render-hinting=none'],
    timeout: 60_000,
  });
}
