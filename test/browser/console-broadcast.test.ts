import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack, stopBrowserStack } from '../helpers/browser-stack.ts';
import { manualClock, type TestStack } from '../helpers/stack.ts';
import { openConsoleAs, personToken } from '../helpers/access.ts';

const DAFANG = { lon: 105.606, lat: 27.147 };
const MINUTE = 60_000;

/**
 * 警情通报 on the console: a dispatcher notifies the residents around an incident; the 10-minute countdown runs
 * in the incident's detail and the notice panel, and each resident group's delivery shows as the (simulated)
 * groups confirm — on time, late, not yet, or failed. The server runs on a manual clock moved by the test,
 * and its deadline watch collects the receipts when the test says so.
 */
describe('resident notices with their countdown and delivery states in real Chromium', () => {
  const clock = manualClock(Date.now());
  let stack: TestStack;
  let browser: Chromium;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack({ clock }));
    page = await openPage(browser.context, pageErrors);
  });

  afterAll(() => stopBrowserStack(browser, stack));

  async function reloadConsole(): Promise<void> {
    await page.reload();
    await page.waitForSelector('[data-testid="connection"][data-state="connected"]');
  }

  it('sends a notice from an incident and follows every group against the 10-minute target', async () => {
    const admin = await stack.opsSocket();
    const ack = await admin.emitWithAck('incident:create', {
      type: 'road_hazard',
      ...DAFANG,
      description: '大方县城区道路塌陷',
    });
    if (!ack.ok) throw new Error(ack.error.message);
    const incidentId = ack.data.incident.id;

    await openConsoleAs(
      page,
      stack.baseUrl,
      await personToken(stack, 'chen.jing', 'dispatcher', '520521'),
      'dispatcher',
    );

    await page.locator(`[data-testid="incident-list"] [data-incident-id="${incidentId}"]`).click();
    const detail = page.locator(`[data-testid="incident-detail"][data-incident-id="${incidentId}"]`);
    await detail.locator('[data-testid="broadcast-open"]').click();
    const form = detail.locator('[data-testid="broadcast-form"]');
    await expect(form.locator('[data-testid="broadcast-text"]').inputValue()).resolves.toContain('道路险情');
    await form.locator('[data-testid="broadcast-text"]').fill('【警情通报】大方县城区道路塌陷，请绕行，注意安全。');
    await form.locator('[data-testid="broadcast-radius"]').fill('2');
    await form.locator('[data-testid="broadcast-submit"]').click();
    await page
      .locator('[data-testid="toast"]')
      .filter({ hasText: /通报 BC-\d+ 已发送至 \d+ 个网格的 \d+ 个群组/ })
      .waitFor();

    // The countdown runs in the incident's detail at once, nothing delivered yet.
    const inDetail = detail.locator('[data-testid="incident-broadcast"]');
    await inDetail.locator('[data-testid="broadcast-progress"][data-phase="running"]').waitFor();
    await expect(inDetail.locator('[data-testid="broadcast-countdown"]').textContent()).resolves.toMatch(
      /剩余 (10:00|09:5\d)/,
    );
    await expect(inDetail.locator('[data-testid="broadcast-counts"]').textContent()).resolves.toMatch(/送达 0\/\d+/);
    const broadcastId = (await inDetail.getAttribute('data-broadcast-id'))!;
    const [stored] = (await admin.emitWithAck('broadcasts:list', {})).ok
      ? (
          (await admin.emitWithAck('broadcasts:list', {})) as {
            data: { broadcasts: { id: string; groups: unknown[] }[] };
          }
        ).data.broadcasts
      : [];
    expect(stored?.id).toBe(broadcastId);
    const groups = stored!.groups.length;

    await page.locator('[data-testid="view-broadcasts"]').click();
    const panel = page.locator('[data-testid="broadcast-panel"]');
    const rows = panel.locator('[data-testid="broadcast-groups"] tbody tr');
    await expect(rows.count()).resolves.toBe(groups);
    await expect(panel.locator('[data-testid="broadcast-groups"] tr[data-status="waiting"]').count()).resolves.toBe(
      groups,
    );

    // Six minutes on, the receipts so far are collected and pushed: some groups confirmed, on time.
    for (let m = 1; m <= 6; m += 1) {
      clock.advance(MINUTE);
      await stack.app.deadlines.sweep();
    }
    await panel.locator('[data-testid="broadcast-groups"] tr[data-status="ontime"]').first().waitFor();
    // A reload takes the server's clock: about four minutes are left.
    await reloadConsole();
    await page.locator('[data-testid="view-broadcasts"]').click();
    await expect(
      panel.locator('[data-testid="broadcast-progress"]').first().getAttribute('data-phase'),
    ).resolves.toMatch(/running|closing/);
    await expect(panel.locator('.detail-col [data-testid="broadcast-countdown"]').textContent()).resolves.toMatch(
      /剩余 0[34]:\d\d/,
    );
    const waitingNow = await panel.locator('[data-testid="broadcast-groups"] tr[data-status="waiting"]').count();
    expect(waitingNow).toBeGreaterThan(0);
    expect(waitingNow).toBeLessThan(groups);
    await page.evaluate(() => document.fonts.ready);
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'console-broadcast.png') });

    // Sixteen minutes on, every group has confirmed (some late) or been given up on: the target is settled.
    for (let m = 7; m <= 16; m += 1) {
      clock.advance(MINUTE);
      await stack.app.deadlines.sweep();
    }
    await reloadConsole();
    await page.locator('[data-testid="view-broadcasts"]').click();
    await expect(panel.locator('[data-testid="broadcast-groups"] tr[data-status="waiting"]').count()).resolves.toBe(0);
    const states = await panel
      .locator('[data-testid="broadcast-groups"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(states.every((s) => s === 'ontime' || s === 'late' || s === 'failed')).toBe(true);
    const phase = await panel.locator('.detail-col [data-testid="broadcast-progress"]').getAttribute('data-phase');
    expect(phase).toBe(states.every((s) => s === 'ontime') ? 'met' : 'missed');
    await expect(panel.locator('.detail-col [data-testid="broadcast-counts"]').textContent()).resolves.toContain(
      '未送达 0',
    );

    expect(pageErrors).toEqual([]);
  });
});
