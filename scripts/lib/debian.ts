import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Absolute path of a command on PATH, or null. */
export function which(command: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : null;
}

/**
 * Make sure a command from a Debian package is present. When it is missing and we are root,
 * install the package with apt-get (the only thing Beacon's scripts ever install); otherwise
 * fail with a message that says what to do.
 */
export function ensureDebianCommand(command: string, pkg: string, log: (line: string) => void = console.log): string {
  const existing = which(command);
  if (existing) return existing;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`${command} is not installed. Install the Debian package "${pkg}" (apt-get install -y ${pkg}).`);
  }
  log(`${command} is missing; installing Debian package ${pkg} (apt-get, about 20 s)…`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = which(command);
  if (!installed) throw new Error(`installed ${pkg} but ${command} is still not on PATH`);
  return installed;
}
