import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** The subset of a V8 `.cpuprofile` this summary needs. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileSummary {
  file: string;
  durationMs: number;
  /** Share of samples in which the event loop was idle (waiting on sockets/timers). */
  idle: number;
  /** Self time by package / area, as fractions of the busy (non-idle) samples. */
  byArea: { area: string; share: number }[];
  /** Busy samples attributed to the outermost Beacon server module on the stack. */
  byBeaconModule: { module: string; share: number }[];
  /** Hottest functions by self time. */
  topFunctions: { fn: string; where: string; share: number }[];
}

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** `…/node_modules/.pnpm/x@1/node_modules/socket.io-parser/…` → `socket.io-parser`; Beacon files → their folder. */
function areaOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (idle) (garbage collector) (program) (root)
    return `native (${functionName || 'anonymous'})`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node core';
  const local = beaconPath(url);
  if (local) return local.split('/').slice(0, 2).join('/');
  return url;
}

/** Repo-relative path for Beacon's own files, or null. */
function beaconPath(url: string): string | null {
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  if (!file.startsWith(repoRoot) || file.includes('/node_modules/')) return null;
  return path.relative(repoRoot, file);
}

/** Profile this process (the server) while `during` runs, write the `.cpuprofile`, and summarise it. */
export async function profileWhile(outFile: string, during: () => Promise<void>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    try {
      await during();
    } finally {
      const { profile } = await session.post('Profiler.stop');
      fs.mkdirSync(path.dirname(outFile), { recursive: true });
      fs.writeFileSync(outFile, JSON.stringify(profile));
    }
    return summarise(JSON.parse(fs.readFileSync(outFile, 'utf8')) as CpuProfile, outFile);
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

export function summarise(profile: CpuProfile, file: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const hits = new Map<number, number>();
  if (profile.samples?.length) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of profile.nodes) if (n.hitCount) hits.set(n.id, n.hitCount);
  let total = 0;
  for (const h of hits.values()) total += h;
  if (total === 0) total = 1;

  const area = new Map<string, number>();
  const fn = new Map<string, { fn: string; where: string; hits: number }>();
  const beaconModule = new Map<string, number>();
  let idle = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  for (const [id, count] of hits) {
    const node = byId.get(id)!;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idle += count;
      continue;
    }
    add(area, areaOf(frame), count);
    const where = beaconPath(frame.url) ?? areaOf(frame);
    const key = `${frame.functionName}@${frame.url}:${frame.lineNumber}`;
    const entry = fn.get(key) ?? { fn: frame.functionName || '(anonymous)', where, hits: 0 };
    entry.hits += count;
    fn.set(key, entry);

    // Outermost Beacon server frame on the stack: which part of the server this sample worked for.
    let outer: string | null = null;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const local = beaconPath(byId.get(cur)!.callFrame.url);
      if (local?.startsWith('server/src/')) outer = local.split('/').slice(0, 3).join('/');
    }
    add(beaconModule, outer ?? (frame.functionName.startsWith('(') ? frame.functionName : 'no Beacon frame'), count);
  }

  // Shares of the busy samples: how much idle time a profile catches depends on the machine's load.
  const busy = Math.max(1, total - idle);
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / busy] as const);
  return {
    file,
    durationMs: (profile.endTime - profile.startTime) / 1000,
    idle: idle / total,
    byArea: sorted(area)
      .slice(0, 12)
      .map(([a, share]) => ({ area: a, share })),
    byBeaconModule: sorted(beaconModule)
      .slice(0, 10)
      .map(([module, share]) => ({ module, share })),
    topFunctions: [...fn.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, 15)
      .map((f) => ({ fn: f.fn, where: f.where, share: f.hits / busy })),
  };
}
