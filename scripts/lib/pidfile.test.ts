import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive, lockDataDir, readPidFile, removePidFile, stopStaleRedis, writePidFile } from './pidfile.ts';

describe('pid files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-pid-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads, writes and removes only its own pid', () => {
    const file = path.join(dir, 'x/redis.pid');
    expect(readPidFile(file)).toBeNull();
    writePidFile(file, 1234);
    expect(readPidFile(file)).toBe(1234);
    removePidFile(file, 999);
    expect(readPidFile(file)).toBe(1234);
    removePidFile(file, 1234);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, 'garbage');
    expect(readPidFile(file)).toBeNull();
  });

  it('leaves a process alone when the pid file names something that is not our redis-server', async () => {
    const file = path.join(dir, 'redis.pid');
    writePidFile(file, process.pid);
    const said: string[] = [];
    await stopStaleRedis(file, dir, (line) => said.push(line));
    expect(isAlive(process.pid)).toBe(true);
    expect(said).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a data directory owned by another live run, and takes over a dead one', async () => {
    const lock = path.join(dir, 'beacon.pid');
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writePidFile(lock, other.pid!);
      expect(() => lockDataDir(lock, /sleep/)).toThrow(new RegExp(`another Beacon \\(pid ${other.pid}\\)`));
      const release = lockDataDir(lock, /start\.ts/); // alive, but not a Beacon: a recycled pid
      expect(readPidFile(lock)).toBe(process.pid);
      release();
      expect(fs.existsSync(lock)).toBe(false);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
  });
});
