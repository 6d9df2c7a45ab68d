import type { Page } from 'playwright-core';
import type { Role } from '@beacon/shared';
import type { TestStack } from '../helpers/stack.ts';

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
