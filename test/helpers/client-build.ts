import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const clientDist = path.join(repoRoot, 'client/dist');

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Build the client with Vite when dist is missing or older than its sources. */
export function ensureClientBuilt(): string {
  const index = path.join(clientDist, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(repoRoot, 'client/src')),
    newestMtime(path.join(repoRoot, 'client/index.html')),
    newestMtime(path.join(repoRoot, 'client/vite.config.ts')),
    newestMtime(path.join(repoRoot, 'shared/src')),
  );
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < sources) {
    execFileSync('pnpm', ['--filter', '@beacon/client', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return clientDist;
}
