import fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { readStreamGroups } from '../server/src/redis/stream-groups.ts';
import type { Redis } from './deps.ts';

/** Parse `INFO <section>` into key → value. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

export interface CommandStat {
  command: string;
  calls: number;
  usec: number;
  usecPerCall: number;
}

/** `INFO commandstats` as rows, most time first. Commands run inside Lua scripts are counted too. */
export async function commandStats(redis: Redis): Promise<CommandStat[]> {
  const info = parseInfo(await redis.info('commandstats'));
  return Object.entries(info)
    .filter(([key]) => key.startsWith('cmdstat_'))
    .map(([key, value]) => {
      const fields = Object.fromEntries(value.split(',').map((kv) => kv.split('=') as [string, string]));
      return {
        command: key.slice('cmdstat_'.length),
        calls: Number(fields.calls),
        usec: Number(fields.usec),
        usecPerCall: Number(fields.usec_per_call),
      };
    })
    .sort((a, b) => b.usec - a.usec);
}

/** Redis CPU seconds (user + system, all threads) so far. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = parseInfo(await redis.info('cpu'));
  return Number(info.used_cpu_user) + Number(info.used_cpu_sys);
}

export interface GroupState {
  length: number;
  entriesRead: number | null;
  lag: number | null;
  pending: number;
}

/** XLEN and the consumer group's `entries-read`, `lag` and `pending` (XINFO GROUPS, Redis ≥ 7). */
export async function groupState(redis: Redis, stream: string, group: string): Promise<GroupState> {
  const length = await redis.xlen(stream);
  const row = (await readStreamGroups(redis, stream)).find((g) => g.name === group);
  if (!row) return { length, entriesRead: null, lag: null, pending: 0 };
  return { length, entriesRead: row.entriesRead, lag: row.lag, pending: row.pending };
}

/** CPU and event-loop use of this process (the server's) between two points. */
export function processMeter() {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const at = performance.now();
  return {
    read(): { cpuMs: number; elu: number; wallMs: number } {
      const c = process.cpuUsage(cpu);
      return {
        cpuMs: (c.user + c.system) / 1000,
        elu: performance.eventLoopUtilization(elu).utilization,
        wallMs: performance.now() - at,
      };
    },
  };
}

/** Busy CPU time of the whole machine (all processes) in ms, from /proc/stat; null where unavailable. */
export function machineBusyMs(): number | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10; // USER_HZ = 100
  } catch {
    return null;
  }
}

/** Microseconds during which at least one task waited for a CPU (Linux PSI); null where unavailable. */
function cpuStallUs(): number | null {
  try {
    const some = /^some .*total=(\d+)/m.exec(fs.readFileSync('/proc/pressure/cpu', 'utf8'));
    return some ? Number(some[1]) : null;
  } catch {
    return null;
  }
}

/** Everything sampled on the server side over one measured window. */
export interface WindowMetrics {
  wallMs: number;
  server: { cpuMs: number; elu: number };
  redisCpuMs: number;
  commands: CommandStat[];
  slowlog: { count: number; maxUs: number };
  /** Consumer group at the start and end of the window (real path only). */
  groupAtStart: GroupState | null;
  groupAtEnd: GroupState | null;
  /** CPU time of every process on the machine (ours and anyone else's), ms. */
  machineBusyMs: number | null;
  /** Share of the window in which some task waited for a CPU (PSI `some`). */
  cpuStall: number | null;
  /** Event-loop delay of this (the server's) process over the window, ms. */
  loopDelay: { p50: number; p99: number; max: number };
}

/** Start measuring a window: resets Redis command stats and slowlog, samples CPU. */
export async function openWindow(redis: Redis, stream?: { name: string; group: string }) {
  await redis.config('RESETSTAT');
  await redis.slowlog('RESET');
  const redisCpu = await redisCpuSeconds(redis);
  const groupAtStart = stream ? await groupState(redis, stream.name, stream.group) : null;
  const meter = processMeter();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const busyAtStart = machineBusyMs();
  const stallAtStart = cpuStallUs();
  return {
    async close(): Promise<WindowMetrics> {
      const server = meter.read();
      delay.disable();
      const loopDelay = {
        p50: delay.percentile(50) / 1e6,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
      };
      const busyAtEnd = machineBusyMs();
      const stallAtEnd = cpuStallUs();
      const redisCpuEnd = await redisCpuSeconds(redis);
      const commands = await commandStats(redis);
      const slow = (await redis.slowlog('GET', 128)) as [number, number, number, ...unknown[]][];
      const groupAtEnd = stream ? await groupState(redis, stream.name, stream.group) : null;
      return {
        wallMs: server.wallMs,
        server: { cpuMs: server.cpuMs, elu: server.elu },
        redisCpuMs: (redisCpuEnd - redisCpu) * 1000,
        commands,
        slowlog: { count: slow.length, maxUs: slow.reduce((m, e) => Math.max(m, Number(e[2])), 0) },
        groupAtStart,
        groupAtEnd,
        machineBusyMs: busyAtStart !== null && busyAtEnd !== null ? busyAtEnd - busyAtStart : null,
        loopDelay,
        cpuStall:
          stallAtStart !== null && stallAtEnd !== null ? (stallAtEnd - stallAtStart) / 1000 / server.wallMs : null,
      };
    },
  };
}

/** Redis `used_memory` in bytes. */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  return Number(parseInfo(await redis.info('memory')).used_memory);
}
