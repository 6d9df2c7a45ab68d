import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  type ActiveWeatherAlert,
  type BatchItemInput,
  type DeviceKind,
  type Incident,
} from '../../shared/src/index.ts';
import { groupCaughtUp } from '../../server/src/index.ts';
import { createDeviceClient, type DeviceClient } from '../../simulators/src/index.ts';
import {
  DrillId,
  defaultDrillId,
  parseDrillServerArgs,
  scaledClock,
  waitFor,
  withTimeout,
} from '../drills/drill-run.ts';
import { printDrillUrls, progressLogger, startDrillServer, type DrillServerEnv } from '../drills/drill-server.ts';
import { createProgressBar } from '../drills/progress.ts';
import {
  DEVICE_KIND_BY_EVENT,
  openRecording,
  replayEventId,
  type BadLine,
  type RecordedEvent,
  type RecordingHeader,
  type RecordingLine,
} from './recording.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const REPLAY_USAGE = `  replay <file.jsonl.gz> [--speed N] [--id D-…] [--port P] [--keep]
      feed a recording into a drill server (own key space, 演练 watermark) through the device protocol,
      with the original gaps between events at N× (default 1); bad lines are counted and reported`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class ReplayUsageError extends Error {}

const ReplayFlags = z.strictObject({
  file: z.string().min(1, 'name a recording (.jsonl.gz)'),
  speed: z.coerce.number().positive().max(100_000).default(1),
  id: DrillId.optional(),
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  keep: z.boolean().default(false),
});
export type ReplayFlags = z.output<typeof ReplayFlags>;

/** Parse and validate `replay` arguments. */
export function parseReplayArgs(args: string[]): ReplayFlags {
  return parseDrillServerArgs(args, {
    fileKey: 'file',
    what: 'recording',
    schema: ReplayFlags,
    usage: (message) => new ReplayUsageError(message),
  });
}

export type ReplayEnv = DrillServerEnv;

export interface ReplaySummary {
  drillId: string;
  file: string;
  header: RecordingHeader;
  speed: number;
  endedEarly: boolean;
  /** Simulated (recorded) time covered, epoch ms. */
  simulated: { from: number; to: number };
  lines: { events: number; bad: number };
  /** The first 50 bad lines, with their line numbers. */
  badLines: BadLine[];
  sent: number;
  accepted: number;
  duplicates: number;
  /** Events refused, failed or dropped on the way. */
  errors: number;
  /** The drill server's situation after the replay. */
  incidents: Incident[];
  weatherAlerts: ActiveWeatherAlert[];
}

/** What a first pass over a recording learns: its devices, its time span and its bad lines. */
interface RecordingScan {
  header: RecordingHeader;
  devices: Map<string, DeviceKind>;
  events: number;
  firstAt: number;
  lastAt: number;
  bad: number;
  badLines: BadLine[];
}

const MAX_BAD_LINES_KEPT = 50;

/**
 * Validate a whole recording before anything is sent: every line with zod, and every device speaking one
 * kind of event only (a device is registered with one kind). Bad lines are counted, never fatal.
 */
export async function scanRecording(file: string): Promise<RecordingScan> {
  const { header, lines } = await openRecording(file);
  const scan: RecordingScan = {
    header,
    devices: new Map(),
    events: 0,
    firstAt: Infinity,
    lastAt: -Infinity,
    bad: 0,
    badLines: [],
  };
  const badLine = (line: BadLine) => {
    scan.bad += 1;
    if (scan.badLines.length < MAX_BAD_LINES_KEPT) scan.badLines.push(line);
  };
  for await (const line of lines) {
    if ('bad' in line) {
      badLine({ line: line.line, message: line.message });
      continue;
    }
    const kind = DEVICE_KIND_BY_EVENT[line.event.kind];
    const known = scan.devices.get(line.event.device);
    if (known && known !== kind) {
      badLine({ line: line.line, message: `device ${line.event.device} sent ${known} events before; not ${kind}` });
      continue;
    }
    scan.devices.set(line.event.device, kind);
    scan.events += 1;
    scan.firstAt = Math.min(scan.firstAt, line.event.receivedAt);
    scan.lastAt = Math.max(scan.lastAt, line.event.receivedAt);
  }
  return scan;
}

/**
 * Replay a recording into a drill: start a drill server on the live Redis in its own key space
 * (`<prefix>:drill:<id>`) with a clock that starts at the first recorded event and runs `speed`× the wall
 * clock, register every recorded device there, and send each event when its recorded `receivedAt` comes
 * round, with the event id `<drill>:<device>:<eventId>`, in recorded order (runs of one device's events as
 * batches), so the drill's ingest stream has the recording's order. Returns what the drill server made of it.
 */
export async function runReplay(flags: ReplayFlags, env: ReplayEnv): Promise<ReplaySummary> {
  const file = path.resolve(flags.file);
  const scan = await scanRecording(file);
  const { header } = scan;
  const bar = createProgressBar(env.stderr);
  for (const bad of scan.badLines) bar.note(`${path.basename(file)}:${bad.line}: ${bad.message}`);
  if (scan.bad > scan.badLines.length) bar.note(`… and ${scan.bad - scan.badLines.length} more bad lines`);
  if (scan.events + scan.bad !== header.count) {
    bar.note(`the header announces ${header.count} events, the file has ${scan.events + scan.bad} lines: cut short?`);
  }
  if (scan.events === 0) throw new Error(`${file}: no events to replay`);

  const regionDir = path.join(repoRoot, 'regions', header.region);
  if (!fs.existsSync(path.join(regionDir, 'manifest.json'))) {
    throw new Error(`the recording is of region ${header.region}, but regions/${header.region} does not exist`);
  }
  const drillId = flags.id ?? defaultDrillId('replay');
  const clock = scaledClock(scan.firstAt, flags.speed);
  const server = await startDrillServer({
    env,
    port: flags.port,
    drillId,
    regionDir,
    clock,
    notice: `演练 replay ×${flags.speed}`,
  });
  const clients = new Map<string, DeviceClient>();
  try {
    const used =
      (await server.redis.hexists(`${env.keyPrefix}:drills`, drillId)) ||
      (await server.redis.exists(`${env.keyPrefix}:drill:${drillId}:incidents`)) > 0;
    if (used) throw new ReplayUsageError(`drill ${drillId} was used already; pick another --id`);

    const serverUrl = `http://127.0.0.1:${server.port}`;
    const { log, warnings: deviceWarnings } = progressLogger(bar);
    for (const [deviceId, kind] of scan.devices) {
      const { key } = await server.app.devices.addDevice({ deviceId, kind }, clock.now(), { replace: true });
      clients.set(deviceId, createDeviceClient({ serverUrl, deviceId, key, log, ackTimeoutMs: 10_000 }));
    }
    const url = printDrillUrls(
      env,
      server,
      `演练 replay ${drillId}: ${path.basename(file)} (${scan.events} events, ${scan.devices.size} devices), ×${flags.speed}`,
    );
    await withTimeout(
      Promise.all([...clients.values()].map((c) => c.connected())),
      15_000,
      'the replay devices could not connect to the drill server',
    );

    let interrupted = false;
    void env.interrupted?.then(() => (interrupted = true));
    const { lines } = await openRecording(file);
    const events = eventsOf(lines, scan.devices);
    let next = await events.next();
    let simNow = scan.firstAt;
    const progress = () => {
      const totals = totalsOf(clients);
      bar.update({
        fraction: scan.lastAt > scan.firstAt ? (simNow - scan.firstAt) / (scan.lastAt - scan.firstAt) : 1,
        simTime: simNow,
        sent: totals.sent,
        acks: totals.accepted + totals.duplicates,
        errors: totals.errors + scan.bad,
      });
    };
    while (!next.done && !interrupted) {
      simNow = Math.min(clock.now(), scan.lastAt);
      // Runs of consecutive events of one device, in recorded order: sent one run after the other, so the
      // drill's ingest stream has the recording's order (a reading before the detection it raises to P1).
      const runs: { device: string; items: BatchItemInput[] }[] = [];
      let pulled = 0;
      // At most this many per step, so that a dense stretch at high speed is sent in pieces.
      while (!next.done && next.value.receivedAt <= simNow && pulled < 20_000) {
        const event = next.value;
        const last = runs[runs.length - 1];
        if (last?.device === event.device) last.items.push(toBatchItem(drillId, event));
        else runs.push({ device: event.device, items: [toBatchItem(drillId, event)] });
        pulled += 1;
        next = await events.next();
      }
      for (const run of runs) await sendInOrder(clients.get(run.device)!, run.items);
      progress();
      if (!next.done && next.value.receivedAt > clock.now()) {
        await new Promise((r) => setTimeout(r, env.stepMs ?? 50));
      }
    }
    if (!interrupted) simNow = scan.lastAt;
    progress();
    bar.done();
    await events.return(undefined);

    await waitFor(() => groupCaughtUp(server.redis, server.app.keys.ingestStream, server.app.keys.rulesGroup), 30_000);
    const snapshot = await server.app.situation.snapshot(server.app.areas.roots[0] ?? '');
    const totals = totalsOf(clients);
    const summary: ReplaySummary = {
      drillId,
      file,
      header,
      speed: flags.speed,
      endedEarly: interrupted,
      simulated: { from: scan.firstAt, to: simNow },
      lines: { events: scan.events, bad: scan.bad },
      badLines: scan.badLines,
      sent: totals.sent,
      accepted: totals.accepted,
      duplicates: totals.duplicates,
      errors: totals.errors,
      incidents: snapshot.incidents,
      weatherAlerts: snapshot.weatherAlerts,
    };
    for (const line of formatReplaySummary(summary)) env.print(line);
    if (deviceWarnings() > 0) env.print(`  ${deviceWarnings()} device warnings above`);

    if (flags.keep && !interrupted) {
      env.print(`the drill wall stays open at ${url}/ — Ctrl-C to stop`);
      await env.interrupted;
    }
    return summary;
  } finally {
    bar.done();
    await Promise.all([...clients.values()].map((c) => c.close()));
    await server.stop();
  }
}

/** The recorded events in file order, skipping bad lines and lines of a device speaking out of its kind. */
async function* eventsOf(
  lines: AsyncGenerator<RecordingLine>,
  devices: ReadonlyMap<string, DeviceKind>,
): AsyncGenerator<RecordedEvent, void, undefined> {
  try {
    for await (const line of lines) {
      if ('bad' in line) continue;
      if (devices.get(line.event.device) !== DEVICE_KIND_BY_EVENT[line.event.kind]) continue;
      yield line.event;
    }
  } finally {
    await lines.return(undefined);
  }
}

/** The recorded event as a batch item with its replay event id. */
export function toBatchItem(drillId: string, { kind, device, payload }: RecordedEvent): BatchItemInput {
  const eventId = replayEventId(drillId, device, payload.eventId);
  switch (kind) {
    case 'gps':
      return { ...payload, eventId, kind };
    case 'pedestrian':
      return { ...payload, eventId, kind };
    case 'weather':
      return { ...payload, eventId, kind };
  }
}

/** One device's due events as batches of at most 1000, one after the other, so they are stored in order. */
async function sendInOrder(client: DeviceClient, items: BatchItemInput[]): Promise<void> {
  if (!client.stats().connected) {
    await withTimeout(client.connected(), 10_000, `${client.deviceId} is not connected`).catch(() => undefined);
  }
  for (let i = 0; i < items.length; i += 1000) await client.sendBatch(items.slice(i, i + 1000));
}

function totalsOf(clients: ReadonlyMap<string, DeviceClient>) {
  const totals = { sent: 0, accepted: 0, duplicates: 0, errors: 0 };
  for (const client of clients.values()) {
    const s = client.stats();
    totals.sent += s.sent;
    totals.accepted += s.accepted;
    totals.duplicates += s.duplicates;
    totals.errors += s.rejected + s.failed + s.dropped;
  }
  return totals;
}

/** The lines printed after a replay. */
export function formatReplaySummary(s: ReplaySummary): string[] {
  const local = (t: number) => new Date(t + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
  const byType = new Map<string, number>();
  for (const i of s.incidents) byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
  return [
    `replay ${s.drillId}${s.endedEarly ? ' (ended early)' : ''}: ${local(s.simulated.from)} – ${local(s.simulated.to)} +08 at ×${s.speed}`,
    `  lines               ${s.lines.events} events, ${s.lines.bad} bad`,
    `  sent                ${s.sent}, accepted ${s.accepted}, duplicates ${s.duplicates}, errors ${s.errors}`,
    `  incidents 事件      ${s.incidents.length}${byType.size ? ` (${[...byType].map(([t, n]) => `${t} ${n}`).join(', ')})` : ''}`,
    ...s.incidents.map(
      (i) => `    ${i.id}  ${i.type}  ${i.priority}  ${i.stake ?? '–'}  detections ${i.detections}  ${i.state}`,
    ),
    `  warnings 预警       ${s.weatherAlerts.length}`,
    ...s.weatherAlerts.map((a) => `    ${a.stationId}  ${a.stages.map((st) => `${st.hazard} ${st.level}`).join(', ')}`),
  ];
}
