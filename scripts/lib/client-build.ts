import fs from 'node:fs';
import path from 'node:path';

/** What goes into the client build: when any of it is newer than dist/index.html, the build is stale. */
export const CLIENT_BUILD_INPUTS = [
  'client/src',
  'client/public',
  'client/index.html',
  'client/vite.config.ts',
  'client/package.json',
  'shared/src',
];

/** Newest modification time (ms) of the files under `paths` (files or directories), or 0 if there are none. */
export function newestMtimeMs(paths: string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) {
        if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
        visit(path.join(p, entry));
      }
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const p of paths) visit(p);
  return newest;
}

export type ClientBuildDecision = { build: true; reason: string } | { build: false; reason: string; warning?: boolean };

/** Whether `pnpm start` has to (and can) build the client. */
export function decideClientBuild(repoRoot: string): ClientBuildDecision {
  const pkgFile = path.join(repoRoot, 'client/package.json');
  let scripts: Record<string, unknown>;
  try {
    scripts = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {};
  } catch {
    return { build: false, warning: true, reason: 'client/package.json is missing or unreadable; serving no client' };
  }
  if (typeof scripts.build !== 'string') {
    return { build: false, warning: true, reason: 'client/package.json has no "build" script yet; serving no client' };
  }
  const indexHtml = path.join(repoRoot, 'client/dist/index.html');
  if (!fs.existsSync(indexHtml)) return { build: true, reason: 'client/dist/index.html does not exist' };
  const builtAt = fs.statSync(indexHtml).mtimeMs;
  const newest = newestMtimeMs(CLIENT_BUILD_INPUTS.map((p) => path.join(repoRoot, p)));
  if (newest > builtAt) return { build: true, reason: 'client sources changed since the last build' };
  return { build: false, reason: 'client build is up to date' };
}

/** How to run pnpm: the one that runs us when started through `pnpm start`, else `pnpm` from PATH. */
export function pnpmCommand(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/i.test(path.basename(execPath)) && fs.existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath)
      ? { command: process.execPath, args: [execPath] }
      : { command: execPath, args: [] };
  }
  return { command: 'pnpm', args: [] };
}
