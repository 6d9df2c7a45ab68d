import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideClientBuild, newestMtimeMs } from './client-build.ts';

describe('client build decision', () => {
  let root: string;
  const write = (file: string, text: string, mtime?: Date) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
    if (mtime) fs.utimesSync(full, mtime, mtime);
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-client-build-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('warns and continues when the client has no build script yet', () => {
    expect(decideClientBuild(root)).toMatchObject({ build: false, warning: true, reason: /missing/ });
    write('client/package.json', JSON.stringify({ scripts: { dev: 'vite' } }));
    expect(decideClientBuild(root)).toMatchObject({ build: false, warning: true, reason: /no "build" script/ });
  });

  it('builds when dist is missing or older than any source, and not otherwise', () => {
    const old = new Date('2026-01-01T00:00:00Z');
    const later = new Date('2026-01-02T00:00:00Z');
    write('client/package.json', JSON.stringify({ scripts: { build: 'vite build' } }), old);
    write('client/src/main.ts', 'x', old);
    write('shared/src/index.ts', 'x', old);
    expect(decideClientBuild(root)).toMatchObject({ build: true, reason: /does not exist/ });
    write('client/dist/index.html', '<html>', later);
    expect(decideClientBuild(root)).toMatchObject({ build: false, reason: /up to date/ });
    write('shared/src/geo.ts', 'y', new Date('2026-01-03T00:00:00Z'));
    expect(decideClientBuild(root)).toMatchObject({ build: true, reason: /changed/ });
  });

  it('ignores node_modules and dot directories when looking for the newest file', () => {
    write('a/x.ts', 'x', new Date('2026-01-01T00:00:00Z'));
    write('a/node_modules/y.js', 'y', new Date('2026-06-01T00:00:00Z'));
    write('a/.cache/z', 'z', new Date('2026-06-01T00:00:00Z'));
    expect(newestMtimeMs([path.join(root, 'a'), path.join(root, 'missing')])).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});
