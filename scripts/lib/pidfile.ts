import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The pid in a pid file, or null when there is none or it is not a number. */
export function readPidFile(file: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function writePidFile(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${pid}\n`);
}

/** Remove a pid file, but only if it still names `pid` (another run may have taken it over). */
export function removePidFile(file: string, pid?: number): void {
  if (pid !== undefined && readPidFile(file) !== pid) return;
  fs.rmSync(file, { force: true });
}

/** Whether a process with this pid exists (and we may signal it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What a process is: its command line and working directory where the OS tells us, else null. */
export function describeProcess(pid: number): { command: string; cwd: string | null } | null {
  if (!isAlive(pid)) return null;
  try {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    let cwd: string | null = null;
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      cwd = null;
    }
    return { command, cwd };
  } catch {
    // No /proc (macOS): ask ps.
    const ps = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return ps.status === 0 ? { command: ps.stdout.trim(), cwd: null } : null;
  }
}

/** Resolve once `pid` has exited, or false after `timeoutMs`. It is not our child, so we can only poll. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/**
 * A redis-server left behind by a crashed run still holds the AOF in `dataDir`; stop it before starting
 * another on the same files. The pid file is trusted only if the process is a redis-server and, where the
 * OS tells us, its working directory is `dataDir` (redis chdirs there), so a recycled pid is left alone.
 */
export async function stopStaleRedis(pidFile: string, dataDir: string, say: (line: string) => void): Promise<void> {
  const pid = readPidFile(pidFile);
  if (pid === null) return;
  const info = describeProcess(pid);
  const ours =
    info !== null &&
    /redis-server/.test(info.command) &&
    (info.cwd === null || path.resolve(info.cwd) === fs.realpathSync(dataDir));
  if (!ours) {
    removePidFile(pidFile, pid);
    return;
  }
  say(`stopping a redis-server left over from an earlier run (pid ${pid}) that still holds ${dataDir}`);
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 10_000))) {
    say(`redis-server ${pid} did not stop on SIGTERM; killing it`);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  removePidFile(pidFile, pid);
}

/**
 * Take the data directory for this run: refuse if another live `pnpm start` owns it, else record our pid.
 * Returns a release function.
 */
export function lockDataDir(lockFile: string, ownerPattern: RegExp): () => void {
  const other = readPidFile(lockFile);
  if (other !== null && other !== process.pid) {
    const info = describeProcess(other);
    if (info && ownerPattern.test(info.command)) {
      throw new Error(
        `another Beacon (pid ${other}) is running with data in ${path.dirname(lockFile)}. ` +
          'Stop it first, or give this one its own BEACON_DATA_DIR.',
      );
    }
  }
  writePidFile(lockFile, process.pid);
  return () => removePidFile(lockFile, process.pid);
}
