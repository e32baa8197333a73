/**
 * Browser test of the demo: the real page, in real Chromium, against the real service and the seeded
 * loopback FHIR server. Every request to a host other than 127.0.0.1/localhost is blocked, which also
 * proves the page loads nothing from the internet.
 *
 * Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium): in CI (CI=true) a missing browser fails the
 * test; locally it is skipped with a warning.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../src/demo/main';

const REPO_ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(REPO_ROOT, 'artifacts/e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(`demo e2e skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or apt-get install -y chromium)`);
}
const describeBrowser = HAVE_CHROMIUM || IN_CI ? describe : describe.skip;

describeBrowser('demo page (Chromium)', () => {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const blocked: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: CI must install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
      );
    }
    demo = await startDemo({ port: 0, cwd: REPO_ROOT, logLevel: 'silent', env: {} });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOCAL_HOSTS.has(url.hostname) || url.protocol === 'data:') return route.continue();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function openPatient(patientId: string): Promise<void> {
    await page.selectOption('#patient-select', patientId);
  }

  it('shows the candidacy card and the diary chart for cm-candidate', async () => {
    await page.goto(demo!.url.replace(/\/demo\/$/, '/')); // `/` redirects to the page
    await page.waitForSelector('body[data-ready="true"]');
    expect(page.url()).toBe(demo!.url);
    await openPatient('cm-candidate');

    const card = page.locator('#cards [data-topic="chronic-migraine-candidate"]');
    await card.waitFor({ timeout: 45_000 });
    const summary = (await card.locator('[data-testid="card-summary"]').textContent()) ?? '';
    expect(summary.trim().length).toBeGreaterThan(10);
    expect(await card.locator('[data-testid="card-indicator"]').textContent()).toMatch(/^(Info|Warning|Critical)$/);
    // The detail markdown was rendered (the service writes a window table), not shown raw.
    expect(await card.locator('[data-testid="card-detail"] table').count()).toBeGreaterThan(0);
    expect(await card.locator('[data-testid="card-detail"]').textContent()).not.toContain('| ---');

    // The chart or its error text, whichever comes first; an error fails with its message.
    await page.locator('#chart-host svg#diary-chart, #chart-host .error').first().waitFor({ timeout: 45_000 });
    expect(await page.locator('#chart-host .error').allTextContents()).toEqual([]);
    const chart = page.locator('svg#diary-chart');
    expect(await chart.locator('[data-testid="bar-headache"]').count()).toBeGreaterThanOrEqual(3);
    expect(await chart.locator('[data-testid="bar-migraine"]').count()).toBeGreaterThanOrEqual(3);
    expect(await chart.locator('[data-testid="threshold-15"]').count()).toBe(1);
    expect(await chart.locator('[data-testid="threshold-8"]').count()).toBe(1);
    expect(await chart.locator('text', { hasText: 'ICHD-3' }).count()).toBe(2);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-candidate.png'), fullPage: true });
  }, 90_000);

  it('sends override feedback from the dismiss dropdown', async () => {
    const card = page.locator('#cards [data-topic="chronic-migraine-candidate"]');
    const reasons = card.locator('[data-testid="override-reason"] option');
    if ((await reasons.count()) > 1) await card.locator('[data-testid="override-reason"]').selectOption({ index: 1 });
    const feedback = page.waitForResponse((r) => r.url().endsWith('/cds-services/chronic-migraine-botox/feedback'));
    await card.locator('[data-testid="dismiss"]').click();
    const response = await feedback;
    expect(response.status()).toBe(200);
    const sent = JSON.parse(response.request().postData() ?? '{}') as { feedback: { outcome: string }[] };
    expect(sent.feedback[0]?.outcome).toBe('overridden');
    await expect(card.getAttribute('class')).resolves.toContain('dismissed');
  }, 30_000);

  it('shows the preventive history beside the diary for cm-candidate-prior-auth', async () => {
    await openPatient('cm-candidate-prior-auth');
    const card = page.locator('#cards [data-topic="chronic-migraine-candidate"]');
    await card.waitFor({ timeout: 45_000 });
    expect(await card.locator('[data-testid="card-detail"]').textContent()).toContain('Prior preventives');
    const table = page.locator('#medications [data-testid="medication-table"]');
    await table.waitFor({ timeout: 45_000 });
    const text = (await table.textContent()) ?? '';
    for (const expected of [
      'topiramate',
      'propranolol',
      'amitriptyline',
      'Paraesthesia and cognitive slowing',
      'Somnolence',
    ])
      expect(text).toContain(expected);
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-prior-auth.png'), fullPage: true });
  }, 90_000);

  it('shows the overdue card and the injection marker for retreatment-overdue', async () => {
    await openPatient('retreatment-overdue');
    const card = page.locator('#cards [data-topic="botox-retreatment-overdue"]');
    await card.waitFor({ timeout: 45_000 });
    expect(((await card.locator('[data-testid="card-summary"]').textContent()) ?? '').trim()).not.toBe('');
    await page.locator('svg#diary-chart [data-testid="injection-marker"]').first().waitFor({ state: 'attached' });
    // The previous patient's card must be gone.
    expect(await page.locator('#cards [data-topic="chronic-migraine-candidate"]').count()).toBe(0);
    await page.locator('#medications [data-testid="no-medications"]').waitFor({ timeout: 45_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-overdue.png'), fullPage: true });
  }, 90_000);

  it('says "No cards" for a patient with nothing to say, with prefetch built by the page', async () => {
    await page.check('#send-prefetch');
    await openPatient('episodic-14-days');
    await page.locator('#cards [data-testid="no-cards"]').waitFor({ timeout: 45_000 });
    expect(await page.locator('#status').textContent()).not.toContain('Prefetch notes'); // every key was fetched
    const request = JSON.parse((await page.locator('#hook-request').textContent()) ?? '{}') as {
      prefetch?: Record<string, unknown>;
    };
    expect(Object.keys(request.prefetch ?? {}).sort()).toEqual([
      'allergyIntolerances',
      'botoxAdministrations',
      'botoxProcedures',
      'conditions',
      'headacheObservations',
      'medicationRequests',
      'medicationStatements',
      'patient',
    ]);
  }, 90_000);

  it('signs an edited draft order, shows the order cards and applies the accepted move-date suggestion', async () => {
    await openPatient('retreatment-due'); // last cycle 2026-08-27: the earliest next cycle is 2026-11-19
    await page.locator('#cards [data-topic="botox-retreatment-due"]').waitFor({ timeout: 45_000 });
    expect(await page.inputValue('#order-date')).toBe('2026-11-15');
    await page.fill('#order-units', '250');
    await page.click('#order-sign');
    const tooEarly = page.locator('#order-cards [data-topic="botox-order-too-early"]');
    await tooEarly.waitFor({ timeout: 45_000 });
    expect(await page.locator('#order-cards [data-topic="botox-order-dose-above-label"]').count()).toBe(1);
    const request = JSON.parse((await page.locator('#order-request').textContent()) ?? '{}') as {
      hook: string;
      context: { draftOrders: { entry: { resource: { dosageInstruction: unknown } }[] } };
    };
    expect(request.hook).toBe('order-sign');
    expect(JSON.stringify(request.context.draftOrders.entry[0]?.resource.dosageInstruction)).toContain('"value":250');

    const feedback = page.waitForResponse((r) => r.url().endsWith('/cds-services/botox-order-sign/feedback'));
    await tooEarly.locator('[data-testid="suggestion"]').click();
    const sent = await feedback;
    expect(sent.status()).toBe(200);
    const items = JSON.parse(sent.request().postData() ?? '{}') as { feedback: { acceptedSuggestions: unknown[] }[] };
    expect(items.feedback[0]?.acceptedSuggestions).toHaveLength(1);
    expect(await page.inputValue('#order-date')).toBe('2026-11-19');
    expect(await page.locator('#order-status').textContent()).toContain('Applied');

    // Signed again at 250 U: the date is fine now, the dose still is not (the record was judged, not skipped).
    const signed = page.waitForResponse((r) => r.url().endsWith('/cds-services/botox-order-sign'));
    await page.click('#order-sign');
    expect((await signed).status()).toBe(200);
    await page.waitForFunction(() => document.querySelector('#order-cards')?.getAttribute('aria-busy') === 'false');
    await page.locator('#order-cards [data-topic="botox-order-dose-above-label"]').waitFor({ timeout: 45_000 });
    expect(await page.locator('#order-cards [data-topic="botox-order-too-early"]').count()).toBe(0);
    expect(
      Object.keys(
        (JSON.parse((await page.locator('#order-request').textContent()) ?? '{}') as { prefetch?: object }).prefetch ??
          {},
      ),
    ).toContain('botoxProcedures');

    await page.fill('#order-units', '155');
    await page.click('#order-sign');
    await page.locator('#order-cards [data-testid="no-cards"]').waitFor({ timeout: 45_000 });
    const draft = JSON.parse((await page.locator('#order-draft').textContent()) ?? '{}') as {
      id: string;
      dispenseRequest: { validityPeriod: { start: string } };
    };
    expect([draft.id, draft.dispenseRequest.validityPeriod.start]).toEqual(['demo-botox-draft', '2026-11-19']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-sign-order.png'), fullPage: true });
  }, 120_000);

  it('turns "Order re-treatment" on an overdue card into the draft of the sign-order panel', async () => {
    await openPatient('retreatment-overdue');
    const card = page.locator('#cards [data-topic="botox-retreatment-overdue"]');
    await card.waitFor({ timeout: 45_000 });
    await page.fill('#order-date', '2026-12-31');
    const feedback = page.waitForResponse((r) => r.url().endsWith('/cds-services/chronic-migraine-botox/feedback'));
    await card.locator('[data-testid="suggestion"]', { hasText: 'Order re-treatment' }).click();
    expect((await feedback).status()).toBe(200);
    expect(await page.inputValue('#order-date')).toBe('2026-11-15');
  }, 90_000);

  /** What the chart draws per window: role, range and the two numbers shown above its bars. */
  async function chartWindows(): Promise<{ role: string; window: string; headache: string; migraine: string }[]> {
    await page.locator('#chart-host svg#diary-chart, #chart-host .error').first().waitFor({ timeout: 45_000 });
    expect(await page.locator('#chart-host .error').allTextContents()).toEqual([]);
    return page.locator('svg#diary-chart [data-testid="chart-window"]').evaluateAll((groups) =>
      groups.map((g) => ({
        role: g.getAttribute('data-role') ?? '',
        window: g.getAttribute('data-window') ?? '',
        headache: g.querySelector('[data-testid="value-headache"]')?.textContent ?? '',
        migraine: g.querySelector('[data-testid="value-migraine"]')?.textContent ?? '',
      })),
    );
  }

  /** The rows of the card's evidence table (markdown rendered to a table), cells as text. */
  async function cardRows(topic: string): Promise<string[][]> {
    const card = page.locator(`#cards [data-topic="${topic}"]`);
    await card.waitFor({ timeout: 45_000 });
    return card
      .locator('[data-testid="card-detail"] table')
      .first()
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
      );
  }

  /** Waits until the chart shown is this patient's (the previous patient's SVG may still be up). */
  async function openAndWaitForChart(patientId: string): Promise<void> {
    const chart = page.waitForResponse((r) => r.url().endsWith(`/demo/chart/${patientId}`));
    await openPatient(patientId);
    expect((await chart).status()).toBe(200);
    await page.waitForFunction(
      (id) => document.querySelector('#chart-host svg#diary-chart') !== null && document.body.dataset.chart === id,
      patientId,
    );
  }

  it('charts response-inadequate with the card’s numbers: baseline 20 and the treated window 16, not 14/18', async () => {
    await openAndWaitForChart('response-inadequate');
    const summary =
      (await page
        .locator('#cards [data-topic="botox-response-inadequate"] [data-testid="card-summary"]')
        .textContent()) ?? '';
    const [, baseline, current] = /^(\d+) → (\d+) headache days/.exec(summary) ?? [];
    const rows = await cardRows('botox-response-inadequate'); // Period | Window | Recorded days | Headache days
    const windows = await chartWindows();
    expect(windows.map((w) => [w.role, w.window, w.headache])).toEqual([
      ['baseline', rows[0]?.[1], baseline],
      ['response', rows[1]?.[1], current],
    ]);
    expect([baseline, current]).toEqual([rows[0]?.[3], rows[1]?.[3]]);
    expect(await page.locator('svg#diary-chart [data-testid="injection-marker"]').count()).toBe(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-response-inadequate.png'), fullPage: true });
  }, 90_000);

  it.each(['cm-candidate', 'other-indication-botox', 'counts-with-stray-daily-entry'])(
    'charts the candidacy windows of %s with the card’s numbers',
    async (patientId) => {
      await openAndWaitForChart(patientId);
      const rows = await cardRows('chronic-migraine-candidate'); // Window | Recorded | Headache | Migraine | Status
      const windows = await chartWindows();
      expect(windows.map((w) => [w.role, w.window, w.headache, w.migraine])).toEqual(
        [...rows].reverse().map((r) => ['candidacy', r[0], r[2], r[3]]),
      );
      const summary = (await page.locator('#cards [data-testid="card-summary"]').first().textContent()) ?? '';
      const pairs = [...windows]
        .reverse()
        .map((w) => `${w.headache}/${w.migraine}`)
        .join(', ');
      expect(summary).toContain(`${pairs} headache/migraine days`);
    },
    90_000,
  );

  it('marks other-indication toxin as a grey hollow, labelled marker, apart from the migraine cycles', async () => {
    await openAndWaitForChart('retreatment-due-hyperhidrosis-100u');
    const detail =
      (await page.locator('#cards [data-topic="botox-retreatment-due"] [data-testid="card-detail"]').textContent()) ??
      '';
    const [, units, otherDate] = /hyperhidrosis (\d+) U \((\d{4}-\d{2}-\d{2})\)/.exec(detail) ?? [];
    const [, lastCycle] = /Last onabotulinumtoxinA cycle: (\d{4}-\d{2}-\d{2})/.exec(detail) ?? [];
    const other = page.locator('svg#diary-chart [data-testid="other-indication-marker"]');
    expect(await other.count()).toBe(1);
    expect([await other.getAttribute('data-date'), await other.getAttribute('data-indication')]).toEqual([
      otherDate,
      'hyperhidrosis',
    ]);
    expect(await other.locator('title').textContent()).toContain(
      `Toxin ${units} U: hyperhidrosis (not a migraine cycle)`,
    );
    expect(await page.locator('svg#diary-chart circle.injection-other-head').count()).toBe(1);
    expect(await page.locator('svg#diary-chart [data-testid="other-indication-label"]').textContent()).toMatch(
      /^hyperhidrosis /,
    );
    const cycles = await page
      .locator('svg#diary-chart [data-testid="injection-marker"]')
      .evaluateAll((m) => m.map((e) => e.getAttribute('data-date')));
    expect(cycles).toHaveLength(2);
    expect(cycles[cycles.length - 1]).toBe(lastCycle);
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-other-indication.png'), fullPage: true });
  }, 90_000);

  it('judges a Pacific patient at its clinic’s clock: the UTC diary charts 8 headache days, and no card', async () => {
    const hook = page.waitForResponse((r) => r.url().endsWith('/demo/clinic/1/cds-services/chronic-migraine-botox'));
    await openAndWaitForChart('pacific-diary-in-utc');
    expect((await hook).status()).toBe(200);
    await page.locator('#cards [data-testid="no-cards"]').waitFor({ timeout: 45_000 });
    expect((await chartWindows()).map((w) => [w.headache, w.migraine])).toEqual([
      ['8', '8'],
      ['8', '8'],
      ['8', '8'],
    ]);
    expect(await page.locator('#scenario-clock').textContent()).toContain('America/Los_Angeles');
  }, 90_000);

  it('answers the chart endpoint with JSON errors for a hostile or unknown patient id', async () => {
    const get = async (id: string) => {
      const r = await fetch(`${demo!.serviceUrl}/demo/chart/${id}`);
      return [r.status, r.headers.get('content-type')?.split(';')[0], ((await r.json()) as { error: string }).error];
    };
    expect(await get('no-such-patient')).toEqual([404, 'application/json', 'not-found']);
    expect(await get('%3Cscript%3E')).toEqual([400, 'application/json', 'bad-request']);
    expect(await get('..%2F..%2Fmetadata')).toEqual([400, 'application/json', 'bad-request']);
    expect(await get('a'.repeat(65))).toEqual([400, 'application/json', 'bad-request']);
  }, 30_000);

  it('loaded nothing from outside loopback and threw no page errors', () => {
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
