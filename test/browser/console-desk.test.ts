import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, openPage, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack } from '../helpers/browser-stack.ts';
import type { OpsSocket, TestStack } from '../helpers/stack.ts';
import { openConsoleAs, personToken } from '../helpers/access.ts';
import { onRoad, seedUnitsOnRoad, type RoadUnit } from '../helpers/road-units.ts';

const CITY = '520500';
const DAFANG = '520521';
const DAFANG_T1 = '520521101';
const DAFANG_T2 = '520521102';

/** BJ-07 drives up SX1 2 km behind both scenes; BJ-02 is far away on the other carriageway. */
const UNITS: RoadUnit[] = [
  ['BJ-07', 'SX1', 18_000, 'up'],
  ['BJ-02', 'SX1', 30_000, 'down'],
];

/**
 * The dispatcher's desk in real Chromium, two consoles at once: what one dispatcher does the other sees
 * within a second; a work order travels city → county → township and back, and each level's figures follow;
 * the filtered incidents download as CSV that Excel opens in Chinese.
 */
describe('two dispatcher consoles, work orders across the levels, CSV', () => {
  let stack: TestStack;
  let one: Chromium;
  let two: Chromium;
  let admin: OpsSocket;
  let pageA: Page;
  let pageB: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ stack, browser: one } = await startBrowserStack());
    two = await launchChromium();
    const batch = await seedUnitsOnRoad(stack, UNITS);
    expect(batch).toMatchObject({ ok: true, data: { accepted: UNITS.length } });
    admin = await stack.opsSocket();
    pageA = await openPage(one.context, pageErrors);
    pageB = await openPage(two.context, pageErrors);
  });

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await stack?.stop();
  });

  it('one assigns, the other sees it within a second and cannot send the same unit; the dispatch can be undone', async () => {
    const created = [];
    for (const m of [20_000, 21_000]) {
      const ack = await admin.emitWithAck('incident:create', {
        type: 'traffic_accident',
        ...onRoad(stack, 'SX1', m, 'up'),
      });
      if (!ack.ok) throw new Error(ack.error.message);
      created.push(ack.data.incident.id);
    }
    const [first, second] = created as [string, string];
    await openConsoleAs(pageA, stack.baseUrl, await personToken(stack, 'wang.fang', 'dispatcher', CITY), 'dispatcher');
    await openConsoleAs(pageB, stack.baseUrl, await personToken(stack, 'zhao.lei', 'dispatcher', CITY), 'dispatcher');

    const row = (page: Page, id: string) => page.locator(`[data-testid="incident-list"] [data-incident-id="${id}"]`);
    await row(pageA, first).click();
    await row(pageB, second).click();
    const bestOf = (page: Page) => page.locator('[data-testid="candidates"] li').first();
    await expect(bestOf(pageA).getAttribute('data-unit-id')).resolves.toBe('BJ-07');
    await pageB.locator('[data-testid="candidates"] li[data-unit-id="BJ-07"]').waitFor();
    // The queue tells each incident's SLA time left (P2: 3 minutes to dispatch).
    await expect(row(pageB, first).locator('[data-testid="sla-left"]').getAttribute('data-kind')).resolves.toBe(
      'dispatch',
    );

    await bestOf(pageA).locator('button').click();
    await pageA
      .locator('[data-testid="toast"]')
      .filter({ hasText: `已派 BJ-07 前往 ${first}` })
      .waitFor();
    // Within a second the other console shows the incident dispatched and BJ-07 no longer to be had.
    await row(pageB, first).and(pageB.locator('[data-state="dispatched"]')).waitFor({ timeout: 1000 });
    await pageB.waitForFunction(
      () => {
        const li = document.querySelector('[data-testid="candidates"] li[data-unit-id="BJ-07"]');
        return !li || li.hasAttribute('data-taken');
      },
      undefined,
      { timeout: 1000 },
    );
    // Its "assign the best" key sends the next unit, never the taken one.
    await pageB.locator('[data-testid="candidates"] li[data-unit-id="BJ-02"]').waitFor();
    await pageB.locator('body').press('a');
    await pageB
      .locator('[data-testid="toast"][data-kind="ok"]')
      .filter({ hasText: `已派 BJ-02 前往 ${second}` })
      .waitFor();
    expect(await stack.redis.hget('beacon:unit:BJ-07', 'incidentId')).toBe(first);

    // 撤销 takes BJ-07 back (改派 to 研判 with a reason); the other console sees that too.
    await pageA.locator('[data-testid="undo"]').click();
    await pageA
      .locator('[data-testid="toast"]')
      .filter({ hasText: `已撤回 BJ-07，${first} 回到研判` })
      .waitFor();
    await row(pageB, first).and(pageB.locator('[data-state="assessed"]')).waitFor({ timeout: 1000 });
    expect(await stack.redis.hget('beacon:unit:BJ-07', 'status')).toBe('available');
  });

  it('shows every unit with its status timer and lets a dispatcher sign a crew off and back, undoably', async () => {
    await pageA.locator('[data-testid="view-units"]').click();
    const board = pageA.locator('[data-testid="unit-board"]');
    const bj02 = board.locator('tr[data-unit-id="BJ-02"]');
    await bj02.locator('[data-testid="status-since"]').waitFor();
    await expect(bj02.getAttribute('data-status')).resolves.toBe('dispatched');
    await board.locator('[data-testid="unit-filter-area"]').selectOption(DAFANG);
    await expect(board.locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await board.locator('[data-testid="unit-filter-area"]').selectOption('');

    const bj07 = board.locator('tr[data-unit-id="BJ-07"]');
    await bj07.locator('button[data-report="off_duty"]').click();
    await bj07.and(board.locator('[data-status="off_duty"]')).waitFor();
    await pageA.locator('[data-testid="toast"]').filter({ hasText: '已代 BJ-07 报告：离线' }).waitFor();
    // The other console's board follows; the action is audited under the dispatcher's name.
    await pageB.locator('[data-testid="view-units"]').click();
    await pageB.locator('tr[data-unit-id="BJ-07"][data-status="off_duty"]').waitFor({ timeout: 1000 });
    await pageA.locator('body').press('u');
    await bj07.and(board.locator('[data-status="available"]')).waitFor();
    const audit = await stack.redis.xrevrange('beacon:audit', '+', '-', 'COUNT', 5);
    expect(
      audit.some(
        ([, fields]) => fields.join(' ').includes('user:wang.fang') && fields.join(' ').includes('unit:report'),
      ),
    ).toBe(true);
    await pageA.locator('[data-testid="view-map"]').click();
    await pageB.locator('[data-testid="view-map"]').click();
  });

  it('exports the queue as CSV that opens in Excel with its Chinese header', async () => {
    const [download] = await Promise.all([
      pageA.waitForEvent('download'),
      pageA.locator('[data-testid="incidents-csv"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('beacon-incidents.csv');
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('编号,类型,优先级,状态,桩号,辖区,受理时间,派单时间,到场时间,办结时间,督办,描述');
    expect(lines.slice(1).filter((l) => l.includes(',交通事故,P2,'))).toHaveLength(2);
    expect(lines.join('\n')).toContain('已研判');
  });

  it('sends a work order city → county → township, is returned, re-sent, completed, and every level counts it', async () => {
    const tokens = {
      city: await personToken(stack, 'city.disp', 'dispatcher', CITY),
      county: await personToken(stack, 'dafang.disp', 'dispatcher', DAFANG),
      t1: await personToken(stack, 'dafang.t1', 'dispatcher', DAFANG_T1),
      t2: await personToken(stack, 'dafang.t2', 'dispatcher', DAFANG_T2),
    };
    const city = pageA;
    const lower = pageB;
    await openConsoleAs(city, stack.baseUrl, tokens.city, 'dispatcher');
    await openConsoleAs(lower, stack.baseUrl, tokens.county, 'dispatcher');
    await city.locator('[data-testid="view-orders"]').click();
    await lower.locator('[data-testid="view-orders"]').click();

    // The city creates it and sends it down to 大方县 at once.
    await city.locator('[data-testid="order-new"]').click();
    await city.locator('[data-testid="order-title"]').fill('清理S2高速K12抛洒物');
    await city.locator('[data-testid="order-priority"]').selectOption('P2');
    await city
      .locator('[data-testid="order-create"] [data-testid="order-target"] option[value="520521"]')
      .waitFor({ state: 'attached' });
    await city.locator('[data-testid="order-create"] [data-testid="order-target"]').selectOption(DAFANG);
    await city.locator('[data-testid="order-submit"]').click();
    await city.locator('[data-testid="toast"]').filter({ hasText: '并下发至 大方县' }).waitFor();
    const orderId = (await city.locator('[data-testid="order-detail"]').getAttribute('data-order-id'))!;
    expect(orderId).toMatch(/^WO-\d{8}-\d{4}$/);
    const orderRow = (page: Page) => page.locator(`[data-testid="order-list"] [data-order-id="${orderId}"]`);

    const supervisorRow = async (page: Page, adcode: string) => {
      await page.locator('[data-testid="view-supervisor"]').click();
      return page.locator(`[data-testid="supervisor-row"][data-adcode="${adcode}"]`);
    };
    const step = async (page: Page, action: string, text?: string, to?: string) => {
      await orderRow(page).click();
      await page.locator(`[data-testid="order-actions"] [data-action="${action}"]`).click();
      if (to) {
        const target = page.locator('[data-testid="order-form"] [data-testid="order-target"]');
        await target.locator(`option[value="${to}"]`).waitFor({ state: 'attached' });
        await target.selectOption(to);
      }
      if (text !== undefined) await page.locator('[data-testid="order-text"]').fill(text);
      if (text !== undefined || to) await page.locator('[data-testid="order-form"] button[type="submit"]').click();
    };

    // The county hears of it live, accepts it and sends it down to its first township.
    await orderRow(lower).and(lower.locator('[data-state="pending"]')).waitFor({ timeout: 2000 });
    await lower.locator('[data-testid="orders-pending"]').filter({ hasText: '1' }).waitFor();
    await step(lower, 'accept');
    await lower.locator('[data-testid="order-detail"][data-state="accepted"]').waitFor();
    await step(lower, 'send', '', DAFANG_T1);
    await lower.locator('[data-testid="toast"]').filter({ hasText: '已转至 大方县第1乡镇（生成）' }).waitFor();
    // The city follows the order down, live; its figures count it under 大方县, open.
    await orderRow(city)
      .and(city.locator(`[data-holder="${DAFANG_T1}"]`))
      .waitFor({ timeout: 2000 });
    const dafangAtCity = await supervisorRow(city, DAFANG);
    await dafangAtCity.locator('[data-col="orders-open"]').filter({ hasText: /^1$/ }).waitFor();

    // The first township returns it: not its area.
    await openConsoleAs(lower, stack.baseUrl, tokens.t1, 'dispatcher');
    await lower.locator('[data-testid="view-orders"]').click();
    await step(lower, 'return', '不属本乡镇辖区');
    await lower.locator('[data-testid="toast"]').filter({ hasText: '已退回 大方县' }).waitFor();

    // The county sees it back and sends it to the second township.
    await openConsoleAs(lower, stack.baseUrl, tokens.county, 'dispatcher');
    await lower.locator('[data-testid="view-orders"]').click();
    await orderRow(lower).and(lower.locator('[data-state="returned"]')).waitFor();
    await step(lower, 'send', '转第2乡镇办理', DAFANG_T2);
    await lower.locator('[data-testid="toast"]').filter({ hasText: '已转至 大方县第2乡镇（生成）' }).waitFor();

    // The second township accepts and completes it.
    await openConsoleAs(lower, stack.baseUrl, tokens.t2, 'dispatcher');
    await lower.locator('[data-testid="view-orders"]').click();
    await step(lower, 'accept');
    await lower.locator('[data-testid="order-detail"][data-state="accepted"]').waitFor();
    await step(lower, 'complete', '已清理，道路恢复通行');
    await lower.locator('[data-testid="order-detail"][data-state="completed"]').waitFor();
    const t2Self = await supervisorRow(lower, DAFANG_T2);
    await t2Self.locator('[data-col="orders-completed"][data-completed="1"]').waitFor();
    await expect(t2Self.locator('[data-col="orders-completed"]').textContent()).resolves.toBe('100.0 %');

    // Each level above counts it as completed by the child that did it.
    await openConsoleAs(lower, stack.baseUrl, tokens.county, 'dispatcher');
    const t2AtCounty = await supervisorRow(lower, DAFANG_T2);
    await t2AtCounty.locator('[data-col="orders-completed"][data-completed="1"]').waitFor();
    await expect(
      lower
        .locator(`[data-testid="supervisor-row"][data-adcode="${DAFANG_T1}"] [data-col="orders-total"]`)
        .textContent(),
    ).resolves.toBe('0');
    await dafangAtCity.locator('[data-col="orders-completed"][data-completed="1"]').waitFor();
    await expect(dafangAtCity.locator('[data-col="orders-open"]').textContent()).resolves.toBe('0');
    // Drill down from the city into 大方县: its townships.
    await dafangAtCity.click();
    await city.locator(`[data-testid="supervisor-panel"][data-under="${DAFANG}"]`).waitFor();
    await city
      .locator(
        `[data-testid="supervisor-row"][data-adcode="${DAFANG_T2}"] [data-col="orders-completed"][data-completed="1"]`,
      )
      .waitFor();

    // The city's detail shows every hop: who sent it where, when and why.
    await city.locator('[data-testid="view-orders"]').click();
    await city.locator('[data-testid="order-filter-state"]').selectOption('all');
    await orderRow(city).click();
    const hops = city.locator('[data-testid="order-hops"] li[data-move]');
    await expect(
      hops.evaluateAll((li) => li.map((l) => `${l.getAttribute('data-move')}>${l.getAttribute('data-to')}`)),
    ).resolves.toEqual([`down>${DAFANG_T2}`, `returned>${DAFANG}`, `down>${DAFANG_T1}`, `down>${DAFANG}`]);
    await city.locator('[data-testid="order-hops"]').filter({ hasText: '不属本乡镇辖区' }).waitFor();
    await city.locator('[data-testid="order-result"]').filter({ hasText: '已清理' }).waitFor();
    await city.evaluate(() => document.fonts.ready);
    fs.mkdirSync(screenshotDir, { recursive: true });
    await city.screenshot({ path: path.join(screenshotDir, 'console-orders.png') });

    // The orders download as CSV too.
    const [download] = await Promise.all([
      city.waitForEvent('download'),
      city.locator('[data-testid="orders-csv"]').click(),
    ]);
    const text = fs.readFileSync((await download.path())!).toString('utf8');
    expect(text.startsWith('\uFEFF编号,标题,优先级,状态,发起单位,当前承办')).toBe(true);
    expect(text).toContain(`${orderId},清理S2高速K12抛洒物,P2,`);

    // The county's printable daily report counts it under the township that completed it.
    const report = await city.context().newPage();
    await report.goto(`${stack.baseUrl}/console/report?jurisdiction=${DAFANG}`);
    const page = report.locator(`[data-testid="daily-report"][data-jurisdiction="${DAFANG}"]`);
    await page.waitFor();
    await expect(report.locator('h1').textContent()).resolves.toBe('大方县交通应急指挥日报');
    // Names come from the region pack, loaded beside the report: wait for them rather than read at once.
    await page.locator('[data-testid="report-orders"] tbody tr').first().filter({ hasText: '大方县' }).waitFor();
    await page.locator('[data-testid="report-orders"]').filter({ hasText: '大方县第2乡镇（生成）' }).waitFor();
    await report.emulateMedia({ media: 'print' });
    await expect(report.locator('[data-testid="report-print"]').isVisible()).resolves.toBe(false);
    await report.close();

    expect(pageErrors).toEqual([]);
  });
});
