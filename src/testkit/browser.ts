import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, as `command -v chromium` finds it; .ci/run installs it. Never a downloaded browser. */
export function chromiumPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens a local page in headless Chromium, collecting page errors and any
 * request for another resource (a self-contained page makes none).
 */
export async function openLocalPage(executablePath: string, file: string): Promise<{ browser: Browser; page: Page; errors: string[]; requests: string[] }> {
  const browser = await launchChromium(executablePath);
  const { page, errors, requests } = await watchedPage(browser, (url) => url !== `file://${file}`);
  await page.goto(`file://${file}`);
  return { browser, page, errors, requests };
}

/** Headless Debian Chromium, with its own background traffic turned off (so any request seen is the page's). */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A new page that records page errors, console errors, and every request
 * `foreign` says leaves what the page may load.
 */
export async function watchedPage(
  browser: Browser,
  foreign: (url: string) => boolean,
  viewport = { width: 1200, height: 900 },
): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('request', (r) => foreign(r.url()) && requests.push(r.url()));
  return { page, errors, requests };
}

/**
 * Where a test saves a screenshot: in FOOTPRINT_SCREENSHOTS (kept, for a
 * person to look at) when that is set, else in the test's own temp folder,
 * which is removed with it.
 */
export function screenshotPath(tempFolder: string, name: string): { path: string; kept: boolean } {
  const keep = process.env['FOOTPRINT_SCREENSHOTS'];
  if (keep) {
    mkdirSync(keep, { recursive: true });
    return { path: join(keep, name), kept: true };
  }
  return { path: join(tempFolder, name), kept: false };
}
