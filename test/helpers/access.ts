import type { Page } from 'playwright-core';
import type { Role } from '@beacon/shared';
import type { TestStack } from './stack.ts';

/** A person the browser tests sign in as. */
export interface Person {
  username: string;
  password: string;
  displayName: string;
  role: Role;
}

/** Add a person of the whole region (毕节市, 520500), as `pnpm beacon users:add` would. */
export async function addPerson(stack: TestStack, person: Person): Promise<Person> {
  await stack.app.access.addUser({ ...person, jurisdiction: '520500' }, Date.now());
  return person;
}

/** Add (or replace) a person of a jurisdiction and open a session for them, as `POST /api/v1/login` would. */
export async function personToken(
  stack: TestStack,
  username: string,
  role: Role,
  jurisdiction: string,
): Promise<string> {
  const user = await stack.app.access.addUser(
    { username, password: 'console-pass-1', role, jurisdiction, displayName: username },
    stack.clock.now(),
    { replace: true },
  );
  return (await stack.app.access.openSession(user, stack.clock.now(), 3600)).token;
}

/** A wall display link for the whole region, as `pnpm beacon display:add` prints it. */
export async function displayLink(stack: TestStack, name: string): Promise<string> {
  const { token } = await stack.app.access.addDisplay(name, '520500');
  return `${stack.baseUrl}/?display=${encodeURIComponent(token)}`;
}

/** Sign in on the console's own sign-in page, as a person would, and wait until it says who is signed in. */
export async function signInOnConsole(page: Page, baseUrl: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  const form = page.locator('[data-testid="sign-in"]');
  await form.locator('[data-testid="sign-in-username"]').fill(person.username);
  await form.locator('[data-testid="sign-in-password"]').fill(person.password);
  await form.locator('[data-testid="sign-in-submit"]').click();
  await page.locator(`[data-testid="session-badge"][data-role="${person.role}"]`).waitFor();
}

/** Open (or switch) a console to a session token and wait until it is connected as that role. */
export async function openConsoleAs(page: Page, baseUrl: string, token: string, role: Role): Promise<void> {
  if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/console`);
  await page.evaluate((tok) => localStorage.setItem('beacon.session', tok), token);
  await page.goto(`${baseUrl}/console`);
  await page.locator(`[data-testid="session-badge"][data-role="${role}"]`).waitFor();
  await page.waitForSelector('[data-testid="connection"][data-state="connected"]');
}
