import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Incident } from '@beacon/shared';
import { openPage, type Chromium } from '../helpers/browser.ts';
import { startBrowserStack, stopBrowserStack } from '../helpers/browser-stack.ts';
import type { TestStack } from '../helpers/stack.ts';
import { addPerson, signInOnConsole, type Person } from '../helpers/access.ts';

/**
 * Who may use which screen: the wall asks for a display link or a sign-in and says when its token was revoked;
 * the console signs people in through its form, shows the server's refusal, offers each person only what
 * their role may do, and goes back to its sign-in page on 退出 or when the server no longer knows the session.
 */
describe('signing in to the wall and the console in real Chromium', () => {
  let stack: TestStack;
  let browser: Chromium;
  let incident: Incident;
  const people: Record<'viewer' | 'dispatcher' | 'supervisor', Person> = {
    viewer: { username: 'zhao.kan', password: 'viewer-pass-1', displayName: '赵侃', role: 'viewer' },
    dispatcher: { username: 'wang.wei', password: 'dispatch-pass-1', displayName: '王伟', role: 'dispatcher' },
    supervisor: { username: 'li.na', password: 'supervise-pass-1', displayName: '李娜', role: 'supervisor' },
  };

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    for (const person of Object.values(people)) await addPerson(stack, person);
    const desk = await stack.opsSocket();
    const created = await desk.emitWithAck('incident:create', {
      type: 'traffic_accident',
      lon: 105.606,
      lat: 27.147,
      description: '两车刮擦',
    });
    if (!created.ok) throw new Error(created.error.message);
    incident = created.data.incident;
  });

  afterAll(() => stopBrowserStack(browser, stack));

  async function freshPage(): Promise<{ page: Page; errors: string[] }> {
    const errors: string[] = [];
    const page = await openPage(browser.context, errors);
    await page.goto(`${stack.baseUrl}/console`);
    await page.evaluate(() => localStorage.clear());
    return { page, errors };
  }

  it('shows the wall’s sign-in prompt without a token, and says so when its display token is revoked', async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${stack.baseUrl}/`);
    const prompt = page.locator('[data-testid="sign-in-screen"]');
    await prompt.waitFor();
    await expect(prompt.textContent()).resolves.toContain('大屏未授权');
    await expect(prompt.textContent()).resolves.toContain('?display=');
    await expect(page.locator('.wall').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="sign-in-notice"]').count()).resolves.toBe(0);

    const { token } = await stack.app.access.addDisplay('wall-lobby', '520500');
    await stack.app.access.revokeDisplay('wall-lobby');
    await page.goto(`${stack.baseUrl}/?display=${token}`);
    await expect(page.locator('[data-testid="sign-in-notice"]').textContent()).resolves.toContain('令牌无效或已吊销');
    expect(page.url()).toBe(`${stack.baseUrl}/`);
    await expect(page.evaluate(() => localStorage.getItem('beacon.display'))).resolves.toBeNull();

    // A person may sign in on the wall too; the wall then runs on their session.
    const form = page.locator('[data-testid="sign-in"]');
    await form.locator('[data-testid="sign-in-username"]').fill(people.viewer.username);
    await form.locator('[data-testid="sign-in-password"]').fill(people.viewer.password);
    await form.locator('[data-testid="sign-in-submit"]').click();
    await page.locator('.wall [data-testid="connection"][data-state="connected"]').waitFor();
    await page.locator(`[data-testid="incident-list"] [data-incident-id="${incident.id}"]`).waitFor();
    await expect(page.locator('[data-testid="session-badge"]').textContent()).resolves.toContain('赵侃');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a wrong password on the console form and shows the server’s error', async () => {
    const { page, errors } = await freshPage();
    await page.goto(`${stack.baseUrl}/console`);
    await expect(page.locator('[data-testid="sign-in"] h2').textContent()).resolves.toBe('调度台登录');
    await page.locator('[data-testid="sign-in-username"]').fill(people.dispatcher.username);
    await page.locator('[data-testid="sign-in-password"]').fill('not-the-password');
    await page.locator('[data-testid="sign-in-submit"]').click();
    const error = page.locator('[data-testid="sign-in-error"]');
    await expect(error.textContent()).resolves.toMatch(/用户名或密码错误.*UNAUTHORIZED/s);
    await expect(page.locator('[data-testid="sign-in-password"]').inputValue()).resolves.toBe('');
    await expect(page.evaluate(() => localStorage.getItem('beacon.session'))).resolves.toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers 督办 to a supervisor but not to a dispatcher, and nothing to act with to a viewer', async () => {
    const { page, errors } = await freshPage();
    const detail = page.locator('[data-testid="incident-detail"]');
    const openTools = async () => {
      await page.locator(`[data-testid="incident-list"] [data-incident-id="${incident.id}"]`).first().click();
      await detail.locator('[data-testid="lifecycle-actions"]').waitFor();
      await detail.locator('[data-testid="tab-tools"]').click();
      await detail.locator('[data-testid="note-form"]').waitFor();
    };

    await signInOnConsole(page, stack.baseUrl, people.dispatcher);
    await expect(page.locator('[data-testid="session-badge"]').textContent()).resolves.toMatch(
      /王伟\s*调度员\s*毕节市/,
    );
    await openTools();
    await expect(detail.locator('[data-testid="supervise-form"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="new-incident-button"]').count()).resolves.toBe(1);

    // 退出 ends the session on the server too, and the console says so.
    const token = await page.evaluate(() => localStorage.getItem('beacon.session'));
    const loggedOut = page.waitForResponse((res) => res.url().endsWith('/api/v1/logout'));
    await page.locator('[data-testid="sign-out"]').click();
    expect((await loggedOut).status()).toBe(200);
    await expect(page.locator('[data-testid="sign-in-notice"]').textContent()).resolves.toContain('已退出登录');
    const after = await fetch(`${stack.baseUrl}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);

    await signInOnConsole(page, stack.baseUrl, people.supervisor);
    await expect(page.locator('[data-testid="session-role"]').textContent()).resolves.toBe('值班长');
    await openTools();
    await detail.locator('[data-testid="supervise-form"]').waitFor();

    // A viewer watches: no lifecycle steps, no tools, no new incident.
    await page.locator('[data-testid="sign-out"]').click();
    await signInOnConsole(page, stack.baseUrl, people.viewer);
    await page.locator(`[data-testid="incident-list"] [data-incident-id="${incident.id}"]`).first().click();
    await detail.locator('[data-testid="incident-state"]').waitFor();
    await expect(detail.locator('[data-testid="lifecycle-actions"]').count()).resolves.toBe(0);
    await expect(detail.locator('[data-testid="tab-tools"]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="new-incident-button"]').count()).resolves.toBe(0);
    await expect(page.locator('.keys').textContent()).resolves.toContain('只读');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('returns to the sign-in page when the server no longer knows the session, and shows RATE_LIMITED', async () => {
    const { page, errors } = await freshPage();
    await page.evaluate(() => localStorage.setItem('beacon.session', 'expired-or-revoked-token'));
    await page.goto(`${stack.baseUrl}/console`);
    await expect(page.locator('[data-testid="sign-in-notice"]').textContent()).resolves.toContain('登录已过期');
    await expect(page.evaluate(() => localStorage.getItem('beacon.session'))).resolves.toBeNull();

    // Wrong guesses from this address until the server stops listening; the form then says so.
    const statuses: number[] = [];
    while (statuses.at(-1) !== 429 && statuses.length < 12) {
      const res = await fetch(`${stack.baseUrl}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', password: `guess-${statuses.length}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    await page.locator('[data-testid="sign-in-username"]').fill(people.dispatcher.username);
    await page.locator('[data-testid="sign-in-password"]').fill(people.dispatcher.password);
    await page.locator('[data-testid="sign-in-submit"]').click();
    await expect(page.locator('[data-testid="sign-in-error"]').textContent()).resolves.toMatch(
      /登录失败次数过多.*RATE_LIMITED/s,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
