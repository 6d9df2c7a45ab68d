import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideClientBuild, pnpmCommand } from '../../scripts/lib/client-build.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const clientDist = path.join(repoRoot, 'client/dist');

/** Build the client with Vite when dist is missing or older than its sources (same rule as `pnpm start`). */
export function ensureClientBuilt(): string {
  if (decideClientBuild(repoRoot).build) {
    const pnpm = pnpmCommand();
    execFileSync(pnpm.command, [...pnpm.args, '--filter', '@beacon/client', 'build'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
  }
  return clientDist;
}
