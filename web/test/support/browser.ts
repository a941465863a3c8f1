// Chromium driven by playwright-core, and a page helper that waits the way a shopper does: for
// what the page shows (roles, labels, text), each wait with a generous ceiling, never a sleep.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { Account } from './accounts.js';
import { chromiumPath, screenshotsWanted, storefrontUrl } from './env.js';
import { testAddress } from './gateway.js';

/**
 * What Chromium needs on these machines (docs/TOOLCHAIN.md): headless, no sandbox (tests run as
 * root), no GPU, and nothing that calls out to Google's servers (there is no network but the
 * loopback here: those connections would be refused by the dozen). Each launch gets a fresh, empty
 * profile (--user-data-dir) in a temporary directory of playwright's, deleted when it closes.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long a shopper waits for something to show: long enough for a busy 2-core machine. */
export const SEE_TIMEOUT_MS = 30_000;

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 375, height: 812 } as const;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const screenshotDir = path.join(repoRoot, 'docs', 'screenshots');
const failureDir = path.join(repoRoot, 'web', 'test-results');

/** A browser of its own (a second one is a second shopper's, with nothing shared). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
  });
}

/** A shopper's tab on the storefront. */
export class ShopPage {
  private readonly problems: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console: ${message.text()}`);
    });
  }

  /**
   * A fresh context (no cookies, no storage) at desktop size. Its requests carry an address of
   * their own (X-Forwarded-For, trusted from loopback like a load balancer's), as each shopper
   * comes from their own: per-address limits (sign-ups an hour, say) then count each test apart.
   * `clientIp: null` sends none, as a shopper's browser does: for pages that call another origin
   * than the gateway's (the card provider's checkout, whose CORS allows no such header).
   */
  static async open(browser: Browser, options: { clientIp?: string | null } = {}): Promise<ShopPage> {
    const clientIp = options.clientIp === undefined ? testAddress() : options.clientIp;
    const context = await browser.newContext({
      viewport: DESKTOP,
      locale: 'en-GB',
      ...(clientIp === null ? {} : { extraHTTPHeaders: { 'x-forwarded-for': clientIp } }),
    });
    context.setDefaultTimeout(SEE_TIMEOUT_MS);
    return new ShopPage(context, await context.newPage());
  }

  async goto(pathname: string): Promise<void> {
    await this.page.goto(`${storefrontUrl}${pathname}`, { waitUntil: 'domcontentloaded' });
  }

  /** Waits until `locator` is visible (`what` names it in the failure, with what the page shows instead). */
  async see(locator: Locator, what: string, timeoutMs = SEE_TIMEOUT_MS): Promise<Locator> {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
      return locator.first();
    } catch (error) {
      throw await this.failure(`${what}: not shown within ${timeoutMs / 1000} s`, error);
    }
  }

  /** Waits until `locator` is gone (hidden or removed). */
  async seeGone(locator: Locator, what: string, timeoutMs = SEE_TIMEOUT_MS): Promise<void> {
    try {
      await locator.first().waitFor({ state: 'hidden', timeout: timeoutMs });
    } catch (error) {
      throw await this.failure(`${what}: still shown after ${timeoutMs / 1000} s`, error);
    }
  }

  /** Waits until `locator` shows each of `texts` (each a substring, or a pattern), in the order given. */
  async seeTexts(locator: Locator, texts: readonly (string | RegExp)[], what: string): Promise<void> {
    for (const text of texts) await this.see(locator.filter({ hasText: text }), `${what} showing ${String(text)}`);
  }

  /** Marks this document: `stillSamePage()` is false once the page has been reloaded or left. */
  async markPage(): Promise<void> {
    await this.page.evaluate(() => {
      (window as unknown as { radiataTestMark?: boolean }).radiataTestMark = true;
    });
  }

  stillSamePage(): Promise<boolean> {
    return this.page.evaluate(() => (window as unknown as { radiataTestMark?: boolean }).radiataTestMark === true);
  }

  /**
   * What a shopper types in an <input type="datetime-local"> for `offsetMs` from now: the browser's
   * wall time, to the minute (seconds dropped, so the value is up to a minute earlier).
   */
  localTime(offsetMs: number): Promise<string> {
    return this.page.evaluate((offset) => {
      const date = new Date(Date.now() + offset);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
    }, offsetMs);
  }

  /** Logs in through the log-in page, as the shopper types it, and waits for the header to say so. */
  async logIn(account: Account): Promise<void> {
    await this.goto('/login');
    await this.see(this.page.getByRole('heading', { name: 'Log in' }), 'the log-in page');
    await this.page.getByLabel('Email', { exact: true }).fill(account.email);
    await this.page.getByLabel('Password', { exact: true }).fill(account.password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.see(this.page.getByText(`Signed in as ${account.name}`), `"Signed in as ${account.name}"`);
  }

  /**
   * With SCREENSHOTS=1: the page as it is now, at 1280×800 (docs/screenshots/<name>.png) and at
   * 375×812 (<name>-phone.png); the viewport is put back afterwards. Otherwise nothing.
   */
  async screenshot(name: string): Promise<void> {
    if (!screenshotsWanted) return;
    mkdirSync(screenshotDir, { recursive: true });
    for (const [viewport, file] of [
      [DESKTOP, `${name}.png`],
      [PHONE, `${name}-phone.png`],
    ] as const) {
      await this.page.setViewportSize(viewport);
      // Layout settles in the next frames after a resize.
      await this.page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      await this.page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled', caret: 'hide' });
    }
    await this.page.setViewportSize(DESKTOP);
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** An error saying what was awaited and what the page showed instead (its text, errors, a screenshot). */
  private async failure(message: string, cause: unknown): Promise<Error> {
    const lines = [message, `  at ${this.page.url()}`];
    try {
      // biome-ignore lint/performance/useDomNodeTextContent: what is rendered, as the shopper sees it.
      const shown = await this.page.locator('body').innerText({ timeout: 2000 });
      lines.push(`  the page shows: ${shown.replace(/\s+/g, ' ').trim().slice(0, 1500)}`);
      mkdirSync(failureDir, { recursive: true });
      const file = path.join(failureDir, `${Date.now()}-${message.replace(/[^a-zA-Z0-9]+/g, '-').slice(0, 60)}.png`);
      await this.page.screenshot({ path: file, fullPage: true, timeout: 5000 });
      lines.push(`  screenshot: ${path.relative(repoRoot, file)}`);
    } catch {
      // the page is gone: the message says enough
    }
    if (this.problems.length > 0) lines.push(`  browser errors:\n    ${this.problems.slice(-10).join('\n    ')}`);
    lines.push(`  (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`);
    return new Error(lines.join('\n'));
  }
}
