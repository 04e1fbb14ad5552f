import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import type { CliRun } from './cli-harness';
import { runCli } from './cli-harness';
import {
  ACCOUNT_A,
  NOW,
  PROBE_API,
  PROBE_NAME,
  REGION_A,
  SCRIPT_NAME,
  SECRET,
  SHOP_API,
  seedPostureStore,
} from './posture-store';

// `stage-drift report --html` (issue 16 item 5) in a real browser: Debian's chromium, headless,
// driven by puppeteer-core. The page is opened from disk with every request intercepted: anything
// but the file itself (or a data: URL) fails the test. Screenshots at 1280 and 390 px go to
// test/output/report-html/ for review; UPDATE_SCREENSHOT=1 also refreshes docs/images/report.png.

jest.setTimeout(120_000);

/** The little of the DOM the page functions use (the project compiles without the DOM lib). */
interface PageElement {
  readonly id: string;
  readonly clientWidth: number;
  readonly scrollWidth: number;
  readonly textContent: string | null;
  readonly parentElement: PageElement | null;
  readonly lastElementChild: PageElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  closest(selector: string): PageElement | null;
}
declare const document: {
  readonly documentElement: PageElement & { readonly lang: string };
  readonly body: PageElement;
  querySelector(
    selector: string,
  ): (PageElement & { readonly clientWidth: number; readonly scrollWidth: number }) | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
};
declare const getComputedStyle: (element: PageElement) => {
  readonly color: string;
  readonly backgroundColor: string;
};

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(__dirname, '..', 'output', 'report-html');
const README_IMAGE = join(__dirname, '..', '..', 'docs', 'images', 'report.png');
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-report-'));
const storeDir = join(scratch, 'store');
const reportFile = join(scratch, 'report.html');
let html = '';
let reportRun: CliRun;
let renderMs = 0;
let events: { detectedAt: string; severity: string; stageName: string }[] = [];
let browser: Browser;
let page: Page;
const requests: string[] = [];
const refused: string[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `chromium is missing at ${CHROMIUM}: this test needs it. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  await seedPostureStore(storeDir);
  const started = performance.now();
  reportRun = await runCli(['report', '--html', reportFile, '--since', '7d', '--store', storeDir], {
    now: NOW,
  });
  renderMs = performance.now() - started;
  html = readFileSync(reportFile, 'utf8');
  const listed = await runCli(['events', '--since', '7d', '--format', 'json', '--store', storeDir], {
    now: NOW,
  });
  events = (JSON.parse(listed.stdout) as { events: typeof events }).events;

  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--no-first-run'],
  });
  page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    requests.push(url);
    if (/^(file|data):/.test(url)) void request.continue();
    else {
      refused.push(url);
      void request.abort();
    }
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

it('writes one file through the CLI and says so', () => {
  expect(reportRun.stderr).toBe('');
  expect(reportRun.code).toBe(0);
  expect(reportRun.stdout).toMatch(
    /^Wrote .*report\.html \(\d+ KB, 5 drift events since 2026-10-31\): 6 stages, 2 failing: APIGateway\.1 ×1, APIGateway\.3 ×1, APIGateway\.9 ×1\n$/,
  );
  const kb = statSync(reportFile).size / 1024;
  // Measured, for the record: size and the time of the whole command (store opened, read, rendered).
  console.info(`report.html: ${kb.toFixed(1)} KB, report command ${renderMs.toFixed(0)} ms`);
  expect(kb).toBeLessThan(200);
});

it('loads nothing but itself: no network, no external resource, no CSP violation, no script error', () => {
  expect(refused).toEqual([]);
  expect(requests).toEqual([pathToFileURL(reportFile).href]);
  expect(pageErrors).toEqual([]);
  expect(consoleErrors).toEqual([]);
  expect(html).toContain(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
  );
  expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
  expect(html).not.toMatch(/\bsrc=["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/@import|url\(/i);
});

it('has the posture matrix: a row per stage and the FAILED cells', async () => {
  const matrix = await page.evaluate(
    (selector) =>
      ((rows: PageElement[]) =>
        rows.map((row) => ({
          stage: row.querySelector('th[scope="row"] a')?.textContent ?? '',
          failed: [...row.querySelectorAll('td[data-status="FAILED"]')].map((td) =>
            td.getAttribute('data-control'),
          ),
          cells: row.querySelectorAll('td.status').length,
          text: [...row.querySelectorAll('td.status')].map((td) => td.textContent?.trim()),
        })))([...document.querySelectorAll(selector)]),
    '#matrix tbody tr',
  );
  expect(matrix).toHaveLength(6);
  expect(matrix.every((r) => r.cells === 7)).toBe(true);
  expect(matrix.flatMap((r) => r.failed)).toHaveLength(3);
  expect(matrix.find((r) => r.stage === 'shop-api · prod')!.failed).toEqual(['APIGateway.1', 'APIGateway.3']);
  expect(matrix.find((r) => r.stage === `${PROBE_NAME} · prod`)!.failed).toEqual(['APIGateway.9']);
  // Text labels, not colour alone.
  expect(new Set(matrix.flatMap((r) => r.text))).toEqual(new Set(['✓ Pass', '✗ FAIL', '– n/a']));
  const failingFooter = await page.evaluate(
    (selector) =>
      ((cells: PageElement[]) =>
        Object.fromEntries(
          cells.map((c) => [c.getAttribute('data-control') ?? '', Number(c.textContent)] as const),
        ))([...document.querySelectorAll(selector)]),
    '#matrix tfoot td[data-count="FAILED"]',
  );
  expect(failingFooter).toEqual({
    'APIGateway.1': 1,
    'APIGateway.2': 0,
    'APIGateway.3': 1,
    'APIGateway.4': 0,
    'APIGateway.5': 0,
    'APIGateway.9': 1,
    'StageDrift.RestAccessLogging': 0,
  });
  expect(
    await page.evaluate(
      (selector) => ((e: PageElement) => e.textContent)(document.querySelector(selector)!),
      '#failing-count',
    ),
  ).toBe('2');
});

it('has a timeline bar per day and severity, and a legend and a table with the same numbers', async () => {
  expect(events).toHaveLength(5);
  const bars = await page.evaluate(
    (selector) =>
      ((rects: PageElement[]) =>
        rects.map((r) => ({
          day: r.getAttribute('data-day')!,
          severity: r.getAttribute('data-severity')!,
          count: Number(r.getAttribute('data-count')),
          height: Number(r.getAttribute('height')),
        })))([...document.querySelectorAll(selector)]),
    'svg.timeline rect.bar',
  );
  for (const severity of SEVERITIES) {
    const ofSeverity = events.filter((e) => e.severity === severity);
    const days = new Set(ofSeverity.map((e) => e.detectedAt.slice(0, 10)));
    const barsOf = bars.filter((b) => b.severity === severity);
    expect([severity, barsOf.length]).toEqual([severity, days.size]);
    expect(barsOf.reduce((sum, b) => sum + b.count, 0)).toBe(ofSeverity.length);
    const legend = await page.evaluate(
      (selector) => ((e: PageElement) => e.textContent)(document.querySelector(selector)!),
      `.legend li[data-severity="${severity}"] strong`,
    );
    expect([severity, legend]).toEqual([severity, String(ofSeverity.length)]);
  }
  expect(bars.every((b) => b.height > 0)).toBe(true);
  expect(new Set(bars.map((b) => b.day))).toEqual(new Set(events.map((e) => e.detectedAt.slice(0, 10))));
  const svg = await page.evaluate(
    (selector) =>
      ((s: PageElement) => ({
        role: s.getAttribute('role'),
        title: s.querySelector('title')?.textContent,
        desc: s.querySelector('desc')?.textContent,
      }))(document.querySelector(selector)!),
    'svg.timeline',
  );
  expect(svg).toEqual({
    role: 'img',
    title: 'Drift events per day by severity',
    desc: expect.stringMatching(/^5 drift events from 2026-10-31 12:00 UTC to 2026-11-07 12:00 UTC: /),
  });
  const tableTotal = await page.evaluate(
    (selector) =>
      ((rows: PageElement[]) => rows.reduce((sum, r) => sum + Number(r.lastElementChild?.textContent), 0))([
        ...document.querySelectorAll(selector),
      ]),
    'table.timeline-data tbody tr',
  );
  expect(tableTotal).toBe(5);
});

it('renders hostile API names as text, never as markup', async () => {
  expect(dialogs).toEqual([]);
  expect(
    await page.evaluate(
      (selector) => ((imgs: PageElement[]) => imgs.length)([...document.querySelectorAll(selector)]),
      'img',
    ),
  ).toBe(0);
  expect(
    await page.evaluate(
      (selector) => ((scripts: PageElement[]) => scripts.length)([...document.querySelectorAll(selector)]),
      'script',
    ),
  ).toBe(1); // the page's own
  const texts = await page.evaluate(
    (selector) =>
      ((hs: PageElement[]) => hs.map((h) => h.textContent))([...document.querySelectorAll(selector)]),
    'h3',
  );
  expect(texts).toContain(`${PROBE_NAME} · prod`);
  expect(texts).toContain(`${SCRIPT_NAME} · live`);
  expect(html).not.toContain(PROBE_NAME);
  expect(html).not.toContain('<script>alert');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
});

it('shows each stage’s history with field-level before/after, stage variable values as fingerprints only', async () => {
  expect(html).not.toContain(SECRET);
  const billing = await page.evaluate(
    (selector) =>
      ((articles: PageElement[]) =>
        articles
          .filter((a) => a.querySelector('h3')?.textContent === 'billing-api · prod')
          .map((a) => ({
            rows: [...a.querySelectorAll('tr.history-row')].map((r) =>
              [...r.querySelectorAll('td')]
                .map((td) => td.textContent?.replace(/\s+/g, ' ').trim())
                .join(' | '),
            ),
            config: a.querySelector('details pre')?.textContent ?? '',
          }))[0])([...document.querySelectorAll(selector)]),
    'article.stage',
  );
  expect(billing!.rows).toHaveLength(4); // baseline, variable, logging off, logging on
  expect(billing!.rows[1]).toMatch(
    /HIGH MODIFIED \| APIGateway\.1 now fails.*Execution logging level.*INFO → OFF/,
  );
  expect(billing!.rows[0]).toMatch(/APIGateway\.1 now passes.*OFF → INFO/);
  expect(billing!.rows[2]).toMatch(
    /\[hidden hmac-sha256:[0-9a-f]{16}\] → \[hidden hmac-sha256:[0-9a-f]{16}\]/,
  );
  expect(billing!.rows[3]).toMatch(/Baseline \(first seen\)/);
  expect(billing!.config).toMatch(/"fingerprint": "hmac-sha256:[0-9a-f]{16}"/);
  const shop = await page.evaluate(
    (selector) => ((h: PageElement) => h.closest('article')!.id)(document.querySelector(selector)!),
    `article.stage[id] h3`,
  );
  expect(shop).toBe('stage-1');
  expect(html).toContain(`${ACCOUNT_A}/${REGION_A}`);
  expect(html).toContain(SHOP_API);
  expect(html).toContain(PROBE_API);
});

it('is accessible: one h1, an h2 per section, captioned tables with scoped headers, AA contrast', async () => {
  const structure = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    h2: [...document.querySelectorAll('h2')].map((h) => h.textContent),
    uncaptioned: [...document.querySelectorAll('table')].filter((t) => !t.querySelector('caption')).length,
    unscoped: [...document.querySelectorAll('th')].filter((th) => !th.getAttribute('scope')).length,
    lang: document.documentElement.lang,
  }));
  expect(structure).toEqual({
    h1: 1,
    h2: ['Posture', 'Drift timeline', 'Stages'],
    uncaptioned: 0,
    unscoped: 0,
    lang: 'en',
  });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    const worst = await page.evaluate(() => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const backgroundOf = (el: PageElement | null): string => {
        for (let e = el; e; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor;
          if (bg && !/rgba\(.*,\s*0\)$/.test(bg) && bg !== 'transparent') return bg;
        }
        return getComputedStyle(document.body).backgroundColor;
      };
      const selector =
        'td.status a, .badge, .sev, .meta, caption, th, td, h1, h2, h3, .legend li, summary, footer, .sub, a';
      return [...document.querySelectorAll(selector)]
        .filter((e) => e.textContent?.trim())
        .map((e) => {
          const a = lum(getComputedStyle(e).color);
          const b = lum(backgroundOf(e));
          return {
            text: e.textContent!.trim().slice(0, 40),
            ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
          };
        })
        .sort((x, y) => x.ratio - y.ratio)[0];
    });
    expect([scheme, worst!.ratio >= 4.5 ? 'AA' : worst]).toEqual([scheme, 'AA']);
  }
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
});

it('fits a 390 px phone: the page does not scroll sideways, the matrix scrolls in its own box', async () => {
  mkdirSync(OUTPUT, { recursive: true });
  await page.setViewport({ width: 1280, height: 900 });
  await page.screenshot({ path: join(OUTPUT, 'report-1280.png'), fullPage: true });
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const widths = await page.evaluate(() => {
    const box = document.querySelector('#matrix')!.parentElement!;
    return { page: document.documentElement.scrollWidth, box: box.clientWidth, matrix: box.scrollWidth };
  });
  expect(widths.page).toBeLessThanOrEqual(390);
  expect(widths.matrix).toBeGreaterThan(widths.box);
  await page.screenshot({ path: join(OUTPUT, 'report-390.png'), fullPage: true });
  expect(statSync(join(OUTPUT, 'report-390.png')).size).toBeGreaterThan(0);
});

it('refreshes the README screenshot with UPDATE_SCREENSHOT=1 (small: under 200 KB)', async () => {
  if (process.env.UPDATE_SCREENSHOT !== '1') return;
  await page.setViewport({ width: 1100, height: 760, deviceScaleFactor: 1 });
  const image = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 1100, height: 760 } });
  mkdirSync(join(README_IMAGE, '..'), { recursive: true });
  writeFileSync(README_IMAGE, image);
  console.info(`docs/images/report.png: ${(image.length / 1024).toFixed(1)} KB`);
  expect(image.length).toBeLessThan(200 * 1024);
});
