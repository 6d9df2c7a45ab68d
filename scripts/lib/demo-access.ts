import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AccessStore } from '../../server/src/auth/access-store.ts';

export interface DemoAccess {
  /** Read-only token of the demo wall display (whole region). */
  wallToken: string;
  users: { username: string; role: 'dispatcher' | 'supervisor'; password: string }[];
}

/**
 * Sign-ins for the demo, made as an operator would with `pnpm beacon display:add` / `users:add`: a wall display
 * token for the whole region, and a dispatcher and a supervisor with fresh random passwords on every start.
 * Kept in `<dataDir>/demo-access.json` (mode 600) and printed in the start banner; never used outside the demo.
 */
export async function provisionDemoAccess(access: AccessStore, jurisdiction: string, now: number): Promise<DemoAccess> {
  await access.revokeDisplay('demo-wall');
  const { token: wallToken } = await access.addDisplay('demo-wall', jurisdiction);
  const users: DemoAccess['users'] = [];
  for (const role of ['dispatcher', 'supervisor'] as const) {
    const username = `demo-${role}`;
    const password = randomBytes(9).toString('base64url');
    await access.addUser({ username, password, role, jurisdiction }, now, { replace: true });
    users.push({ username, role, password });
  }
  return { wallToken, users };
}

export function writeDemoAccess(file: string, demo: DemoAccess): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 });
}
