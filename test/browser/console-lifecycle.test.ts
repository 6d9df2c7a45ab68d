import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY } from '@beacon/shared';
import { openPage, waitForMap, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack, stopBrowserStack } from '../helpers/browser-stack.ts';
import type { IngestSocket, TestStack } from '../helpers/stack.ts';
import { addPerson, openConsoleAs, type Person } from '../helpers/access.ts';
import { onRoad, seedUnitsOnRoad, type RoadUnit } from '../helpers/road-units.ts';

/** BJ-07 drives up SX1 2 km behind the accident; BJ-02 is far away on the other carriageway. */
const UNITS: RoadUnit[] = [
  ['BJ-07', 'SX1', 18_000, 'up'],
  ['BJ-02', 'SX1', 30_000, 'down'],
];

/**
 * A dispatcher runs one incident by hand on the console: 受理 from the new-incident form, 研判, 派单, the crew's
 * terminal reports 出警 and 到场, 处置, 办结 and 回访, with each step on the timeline; a cancel without a reason
 * is refused where the dispatcher can see it.
 */
describe('the console runs an incident through its lifecycle in real Chromium', () => {
  let stack: TestStack;
  let browser: Chromium;
  let terminal: IngestSocket;
  let supervisor: Person;

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    const batch = await seedUnitsOnRoad(stack, UNITS);
    expect(batch).toMatchObject({ ok: true, data: { accepted: UNITS.length } });
    // BJ-07's in-car terminal, signed in with its own device key: its reports are the crew's.
    terminal = await stack.ingestSocket('CAR-BJ-07', 'patrol', { unitId: 'BJ-07' });
    // 督办 needs a supervisor.
    supervisor = await addPerson(stack, {
      username: 'li.na',
      password: 'supervise-pass-1',
      displayName: '李娜',
      role: 'supervisor',
    });
  });

  afterAll(() => stopBrowserStack(browser, stack));

  it('opens, assesses, dispatches, handles, closes and follows up an incident, refusing a cancel without reason', async () => {
    const pageErrors: string[] = [];
    const page = await openPage(browser.context, pageErrors);
    // Signed in already (test/browser/sign-in.test.ts goes through the form): the token is in localStorage.
    const login = await stack.app.auth.login(supervisor, '127.0.0.1');
    await openConsoleAs(page, stack.baseUrl, login.token, 'supervisor');
    await waitForMap(page);

    // 受理: the form opens with N; the priority follows the type's default.
    await page.locator('body').press('n');
    const form = page.locator('[data-testid="new-incident"]');
    await form.waitFor();
    await page.locator('[data-testid="new-type"]').selectOption('road_hazard');
    await expect(page.locator('[data-testid="new-priority"]').inputValue()).resolves.toBe(DEFAULT_PRIORITY.road_hazard);
    await page.locator('[data-testid="new-type"]').selectOption('traffic_accident');
    await expect(page.locator('[data-testid="new-priority"]').inputValue()).resolves.toBe(
      DEFAULT_PRIORITY.traffic_accident,
    );
    await page.locator('[data-testid="new-description"]').fill('两车追尾，占用应急车道');
    // A click on the map picks the point …
    await page.locator('.map-cell .maplibregl-canvas').click({ position: { x: 300, y: 300 } });
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="new-lon"]') as HTMLInputElement | null)?.value !== '',
    );
    // … and typed coordinates replace it: the accident is at SX1 K20+000 up.
    const scene = onRoad(stack, 'SX1', 20_000, 'up');
    await page.locator('[data-testid="new-lon"]').fill(String(scene.lon));
    await page.locator('[data-testid="new-lat"]').fill(String(scene.lat));
    await page.locator('[data-testid="new-submit"]').click();
    await page.locator('[data-testid="toast"]').filter({ hasText: '已受理 INC-' }).waitFor();
    const detail = page.locator('[data-testid="incident-detail"]');
    await detail.locator('[data-testid="incident-state"][data-state="received"]').waitFor();
    const incidentId = await detail.getAttribute('data-incident-id');
    expect(incidentId).toMatch(/^INC-\d{8}-\d{4}$/);
    await expect(detail.locator('[data-testid="incident-description"]').textContent()).resolves.toBe(
      '两车追尾，占用应急车道',
    );
    await expect(detail.locator('[data-testid="incident-stake"]').textContent()).resolves.toContain('SX1 K20+000 上行');
    const row = page.locator(`[data-testid="incident-list"] [data-incident-id="${incidentId}"]`);
    await expect(row.textContent()).resolves.toContain('交通事故');
    const timeline = detail.locator('[data-testid="timeline"]');
    await timeline.locator('li[data-kind="created"]').waitFor();

    const step = async (action: string, state: string) => {
      await detail.locator(`[data-testid="lifecycle-actions"] [data-action="${action}"]`).click();
      await detail.locator(`[data-testid="incident-state"][data-state="${state}"]`).waitFor();
      await timeline.locator(`li[data-kind="transition"][data-to="${state}"]`).waitFor();
    };

    // 研判, then 派单 to the best-ranked unit.
    await step('assessed', 'assessed');
    const best = detail.locator('[data-testid="candidates"] li').first();
    await best.waitFor();
    await expect(best.getAttribute('data-unit-id')).resolves.toBe('BJ-07');
    await best.locator('button').click();
    await detail.locator('[data-testid="incident-state"][data-state="dispatched"]').waitFor();
    await detail.locator('[data-testid="assigned-unit"]').filter({ hasText: 'BJ-07' }).waitFor();
    await timeline.locator('li[data-kind="transition"][data-to="dispatched"]').waitFor();

    // The crew's terminal acknowledges (the incident stays 派单), sets off and arrives.
    const report = async (status: 'acknowledged' | 'en_route' | 'on_scene') => {
      const ack = await terminal.emitWithAck('assignment:report', { unitId: 'BJ-07', incidentId: incidentId!, status });
      expect(ack).toMatchObject({ ok: true });
    };
    await report('acknowledged');
    await timeline.locator('li[data-kind="assignment"]').filter({ hasText: '车载终端 CAR-BJ-07' }).waitFor();
    await expect(detail.locator('[data-testid="incident-state"]').getAttribute('data-state')).resolves.toBe(
      'dispatched',
    );
    await report('en_route');
    await detail.locator('[data-testid="incident-state"][data-state="en_route"]').waitFor();
    await report('on_scene');
    await detail.locator('[data-testid="incident-state"][data-state="on_scene"]').waitFor();
    await timeline.locator('li[data-kind="transition"][data-to="on_scene"]').waitFor();

    // On scene: 改派 and 撤销 ask for a reason; a cancel without one is refused, visibly, and changes nothing.
    const actions = detail.locator('[data-testid="lifecycle-actions"] button[data-action]');
    await expect(actions.evaluateAll((buttons) => buttons.map((b) => b.textContent?.trim()))).resolves.toEqual([
      '改派',
      '处置',
      '办结',
      '撤销',
    ]);
    await detail.locator('[data-action="cancelled"]').click();
    await detail.locator('[data-testid="reason-form"]').waitFor();
    await detail.locator('[data-testid="reason-form"] button[type="submit"]').click();
    const refusal = page.locator('[data-testid="toast"][data-kind="error"]');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('需要填写原因');
    await expect(detail.locator('[data-testid="incident-state"]').getAttribute('data-state')).resolves.toBe('on_scene');
    await detail.locator('[data-testid="reason-input"]').press('Escape');
    await detail.locator('[data-testid="reason-form"]').waitFor({ state: 'detached' });

    // Coordination: a note, a photo link, and a 督办 flag that shows in red in the queue.
    await detail.locator('[data-testid="tab-tools"]').click();
    await detail.locator('[data-testid="note-form"] input').fill('已设置锥桶，占用应急车道');
    await detail.locator('[data-testid="note-form"] button').click();
    await page.locator('[data-testid="toast"]').filter({ hasText: '已添加备注' }).waitFor();
    await detail.locator('[data-testid="attach-form"] input[type="url"]').fill('https://evidence.example/p/1.jpg');
    await detail.locator('[data-testid="attach-form"] input:not([type])').fill('现场照片');
    await detail.locator('[data-testid="attach-form"] button').click();
    await page.locator('[data-testid="toast"]').filter({ hasText: '已添加附件' }).waitFor();
    await detail.locator('[data-testid="supervise-form"] input').fill('群众多次来电');
    await detail.locator('[data-testid="supervise-form"] button').click();
    await row.locator('[data-testid="supervised-badge"]').waitFor();
    await detail.locator('[data-testid="tab-timeline"]').click();
    await expect(timeline.locator('li[data-kind="attachment"] a').getAttribute('href')).resolves.toBe(
      'https://evidence.example/p/1.jpg',
    );
    await timeline.locator('li[data-kind="supervision"]').filter({ hasText: '群众多次来电' }).waitFor();

    // 处置 from on scene.
    await step('handling', 'handling');
    await page.evaluate(() =>
      document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))),
    );
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'console-lifecycle.png') });

    // 办结 (the unit is let go, driving back), then 回访; nothing more can be done.
    await step('closed', 'closed');
    await expect(detail.locator('[data-testid="assigned-unit"]').count()).resolves.toBe(0);
    await step('feedback', 'feedback');
    await detail.locator('[data-testid="lifecycle-actions"]').filter({ hasText: '此警情已结束' }).waitFor();

    // Every step is on the timeline, in order, and the console's own steps are signed by it.
    const transitions = await timeline
      .locator('li[data-kind="transition"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-to')));
    expect(transitions).toEqual(['assessed', 'dispatched', 'en_route', 'on_scene', 'handling', 'closed', 'feedback']);
    await expect(timeline.locator('li[data-kind="transition"][data-to="handling"]').textContent()).resolves.toContain(
      supervisor.username,
    );
    await expect(timeline.locator('li[data-kind="transition"][data-to="on_scene"]').textContent()).resolves.toContain(
      '车载终端 CAR-BJ-07',
    );
    expect(await stack.redis.hget('beacon:unit:BJ-07', 'status')).toBe('returning');

    expect(pageErrors).toEqual([]);
  });
});
