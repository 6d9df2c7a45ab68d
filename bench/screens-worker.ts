/**
 * Load generator of the real-time benchmarks, forked by bench/realtime.ts: devices on /ingest and screens on
 * /ops speaking the public protocol, spread round-robin over the nodes' URLs. Receives one `run`, connects
 * everything, reports `ready`, waits for `go`, then warm-up → measure → drain, and reports a result.
 */
import { performance } from 'node:perf_hooks';
import { io, type ClientSocket } from './deps.ts';
import { gpsSource, runTag } from './gps.ts';
import type { DeviceCredentials } from './protocol.ts';
import { Samples, type LatencySummary } from './stats.ts';

export type RealtimeTask =
  /** GPS at `gpsPerS` from all devices plus `pedestrianPerS` detections; the wall measures arrival. */
  | {
      kind: 'latency';
      ingestUrls: string[];
      wallUrl: string;
      /** Session token for `/ops` (the real server signs screens in; the bare relay ignores it). */
      opsToken: string | null;
      devices: DeviceCredentials[];
      camera: DeviceCredentials;
      gpsPerS: number;
      pedestrianPerS: number;
    }
  /** `screens` screens; one console toggles `units` on and off duty, `inFlight` commands outstanding. */
  | {
      kind: 'fanout';
      opsUrls: string[];
      /** One token per entry of `opsUrls` (null for the bare relay). */
      opsTokens: (string | null)[];
      screens: number;
      consoleUrl: string;
      units: string[];
      inFlight: number;
    }
  /** Single acknowledged `gps:reported`, `inFlight` outstanding per device. */
  | { kind: 'ingest'; ingestUrls: string[]; devices: DeviceCredentials[]; inFlight: number };

export interface RealtimeTiming {
  warmupMs: number;
  measureMs: number;
  drainMs: number;
}

export type ToScreensWorker = { type: 'run'; task: RealtimeTask; timing: RealtimeTiming } | { type: 'go' };

export interface RealtimeResult {
  measureMs: number;
  /** latency: GPS fix → `units:moved`; fanout: command → its `unit:updated` on every screen. */
  gpsLatency: LatencySummary | null;
  /** latency: detection → `incident:created` on the wall. */
  incidentLatency: LatencySummary | null;
  /** Events or commands sent and acknowledged `ok` in the measured window. */
  sentPerS: number;
  ackedPerS: number;
  ackLatency: LatencySummary | null;
  /** Messages received by all screens in the measured window, per second. */
  deliveriesPerS: number;
  /** fanout: deliveries expected for the commands acknowledged during the whole run, and those missing after the drain. */
  expectedDeliveries: number;
  missingDeliveries: number;
  errors: Record<string, number>;
  clientCpuMs: number;
  connectMs: number;
}

export type FromScreensWorker =
  | { type: 'ready' }
  | { type: 'phase'; phase: 'measure' | 'drain' }
  | { type: 'result'; result: RealtimeResult }
  | { type: 'error'; message: string };

type AckReply = { ok: true } | { ok: false; error: { code: string } };

const send = (message: FromScreensWorker) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let go: () => void = () => undefined;
const started = new Promise<void>((resolve) => (go = resolve));

process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToScreensWorker) => {
  if (message.type === 'go') go();
  if (message.type !== 'run') return;
  run(message.task, message.timing).then(
    (result) => {
      send({ type: 'result', result });
      setTimeout(() => process.exit(0), 50);
    },
    (error: unknown) => {
      send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      setTimeout(() => process.exit(1), 50);
    },
  );
});

function connect(url: string, namespace: string, auth: Record<string, string> = {}): Promise<ClientSocket> {
  const socket = io(`${url}${namespace}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 30_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error) => reject(new Error(`${url}${namespace}: ${error.message}`)));
  });
}

/** Connect in groups of 50, so that 1 000 screens do not all knock at once. */
async function connectMany(count: number, open: (i: number) => Promise<ClientSocket>): Promise<ClientSocket[]> {
  const sockets: ClientSocket[] = [];
  for (let i = 0; i < count; i += 50) {
    const group = Array.from({ length: Math.min(50, count - i) }, (_, j) => open(i + j));
    sockets.push(...(await Promise.all(group)));
  }
  return sockets;
}

/** What every task shares: the phase, the measured window and its counters. */
class Window {
  phase: 'warmup' | 'measure' | 'drain' = 'warmup';
  start = 0;
  end = 0;
  sent = 0;
  acked = 0;
  deliveries = 0;
  readonly errors: Record<string, number> = {};
  readonly ack = new Samples();
  private cpu = process.cpuUsage();
  cpuMs = 0;

  get measuring(): boolean {
    return this.phase === 'measure';
  }

  fail(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  async drive(timing: RealtimeTiming, begin: () => void): Promise<void> {
    begin();
    await sleep(timing.warmupMs);
    this.phase = 'measure';
    this.start = performance.now();
    this.cpu = process.cpuUsage();
    send({ type: 'phase', phase: 'measure' });
    await sleep(timing.measureMs);
    this.end = performance.now();
    const cpu = process.cpuUsage(this.cpu);
    this.cpuMs = (cpu.user + cpu.system) / 1000;
    this.phase = 'drain';
    send({ type: 'phase', phase: 'drain' });
    await sleep(timing.drainMs);
  }

  perS(n: number): number {
    return this.end > this.start ? (n * 1000) / (this.end - this.start) : 0;
  }
}

async function run(task: RealtimeTask, timing: RealtimeTiming): Promise<RealtimeResult> {
  const sockets: ClientSocket[] = [];
  const connectStart = performance.now();
  try {
    switch (task.kind) {
      case 'latency':
        return await runLatency(task, timing, sockets, connectStart);
      case 'fanout':
        return await runFanout(task, timing, sockets, connectStart);
      case 'ingest':
        return await runIngest(task, timing, sockets, connectStart);
      default:
        throw new Error(`unknown task ${(task as { kind: string }).kind}`);
    }
  } finally {
    for (const socket of sockets) socket.close();
  }
}

function result(w: Window, connectMs: number, extra: Partial<RealtimeResult>): RealtimeResult {
  return {
    measureMs: w.end - w.start,
    gpsLatency: null,
    incidentLatency: null,
    sentPerS: w.perS(w.sent),
    ackedPerS: w.perS(w.acked),
    ackLatency: w.ack.summary(),
    deliveriesPerS: w.perS(w.deliveries),
    expectedDeliveries: 0,
    missingDeliveries: 0,
    errors: w.errors,
    clientCpuMs: w.cpuMs,
    connectMs,
    ...extra,
  };
}

async function runLatency(
  task: Extract<RealtimeTask, { kind: 'latency' }>,
  timing: RealtimeTiming,
  sockets: ClientSocket[],
  connectStart: number,
): Promise<RealtimeResult> {
  const w = new Window();
  const tag = runTag();
  const devices = await connectMany(task.devices.length, (i) =>
    connect(task.ingestUrls[i % task.ingestUrls.length]!, '/ingest', {
      deviceId: task.devices[i]!.deviceId,
      key: task.devices[i]!.key,
    }),
  );
  const camera = await connect(task.ingestUrls[0]!, '/ingest', {
    deviceId: task.camera.deviceId,
    key: task.camera.key,
  });
  const wall = await connect(task.wallUrl, '/ops', task.opsToken ? { token: task.opsToken } : {});
  sockets.push(...devices, camera, wall);
  const connectMs = performance.now() - connectStart;

  const gpsLatency = new Samples();
  const incidentLatency = new Samples();
  const detectionSentAt = new Map<string, number>();
  wall.on('units:moved', ({ positions }: { positions: { lastFixAt: number }[] }) => {
    if (!w.measuring) return;
    const now = Date.now();
    w.deliveries += 1;
    for (const p of positions) gpsLatency.add(now - p.lastFixAt);
  });
  wall.on('incident:created', (incident: { cameraId: string | null }) => {
    const sentAt = incident.cameraId ? detectionSentAt.get(incident.cameraId) : undefined;
    if (sentAt === undefined || !w.measuring) return;
    w.deliveries += 1;
    incidentLatency.add(performance.now() - sentAt);
  });

  const sources = task.devices.map((d, i) => gpsSource(`${d.deviceId}-${tag}`, [d.unitId ?? `BJ-P${i}`]));
  const onAck = (startedAt: number, measured: boolean) => (reply: AckReply) => {
    if (!reply?.ok) return w.fail(reply ? reply.error.code : 'NO_REPLY');
    if (measured && w.measuring) {
      w.acked += 1;
      w.ack.add(performance.now() - startedAt);
    }
  };
  let gpsSent = 0;
  let detections = 0;
  let timer: NodeJS.Timeout | null = null;
  const begin = () => {
    const t0 = performance.now();
    timer = setInterval(() => {
      if (w.phase === 'drain') return;
      const elapsed = performance.now() - t0;
      const due = Math.floor((elapsed * task.gpsPerS) / 1000) - gpsSent;
      for (let k = 0; k < due; k += 1) {
        const i = gpsSent % devices.length;
        gpsSent += 1;
        const event = sources[i]!.next(Date.now());
        const startedAt = performance.now();
        if (w.measuring) w.sent += 1;
        devices[i]!.emit('gps:reported', event, onAck(startedAt, w.measuring));
      }
      const dueDetections = Math.floor((elapsed * task.pedestrianPerS) / 1000) - detections;
      for (let k = 0; k < dueDetections; k += 1) {
        detections += 1;
        const cameraId = `L${tag}-${detections}`;
        detectionSentAt.set(cameraId, performance.now());
        camera.emit(
          'pedestrian:detected',
          {
            eventId: cameraId,
            ts: Date.now(),
            lon: 104.9 + Math.random() * 1.0,
            lat: 26.9 + Math.random() * 0.8,
            confidence: 0.9,
            cameraId,
          },
          (reply: AckReply) => (reply?.ok ? undefined : w.fail(`pedestrian ${reply ? reply.error.code : 'NO_REPLY'}`)),
        );
      }
    }, 5);
  };
  send({ type: 'ready' });
  await started;
  try {
    await w.drive(timing, begin);
  } finally {
    if (timer) clearInterval(timer);
  }
  return result(w, connectMs, { gpsLatency: gpsLatency.summary(), incidentLatency: incidentLatency.summary() });
}

async function runFanout(
  task: Extract<RealtimeTask, { kind: 'fanout' }>,
  timing: RealtimeTiming,
  sockets: ClientSocket[],
  connectStart: number,
): Promise<RealtimeResult> {
  const w = new Window();
  const signIn = (i: number): Record<string, string> => {
    const token = task.opsTokens[i % task.opsTokens.length];
    return token ? { token } : {};
  };
  const screens = await connectMany(task.screens, (i) =>
    connect(task.opsUrls[i % task.opsUrls.length]!, '/ops', signIn(i)),
  );
  const console_ = await connect(task.consoleUrl, '/ops', signIn(0));
  sockets.push(...screens, console_);
  const connectMs = performance.now() - connectStart;

  let received = 0;
  for (const screen of screens) {
    screen.on('unit:updated', () => {
      received += 1;
      if (w.measuring) w.deliveries += 1;
    });
  }
  let ackedTotal = 0;
  const status = new Map(task.units.map((u) => [u, 'available']));
  const toggle = (unitId: string): void => {
    if (w.phase === 'drain') return;
    const next = status.get(unitId) === 'available' ? 'off_duty' : 'available';
    const startedAt = performance.now();
    const measured = w.measuring;
    if (measured) w.sent += 1;
    console_.emit('unit:report', { unitId, status: next }, (reply: AckReply) => {
      if (!reply?.ok) {
        w.fail(reply ? reply.error.code : 'NO_REPLY');
        return;
      }
      ackedTotal += 1;
      status.set(unitId, next);
      if (measured && w.measuring) {
        w.acked += 1;
        w.ack.add(performance.now() - startedAt);
      }
      toggle(unitId);
    });
  };
  send({ type: 'ready' });
  await started;
  await w.drive(timing, () => task.units.slice(0, task.inFlight).forEach(toggle));
  const expectedDeliveries = ackedTotal * screens.length;
  return result(w, connectMs, { expectedDeliveries, missingDeliveries: Math.max(0, expectedDeliveries - received) });
}

async function runIngest(
  task: Extract<RealtimeTask, { kind: 'ingest' }>,
  timing: RealtimeTiming,
  sockets: ClientSocket[],
  connectStart: number,
): Promise<RealtimeResult> {
  const w = new Window();
  const tag = runTag();
  const devices = await connectMany(task.devices.length, (i) =>
    connect(task.ingestUrls[i % task.ingestUrls.length]!, '/ingest', {
      deviceId: task.devices[i]!.deviceId,
      key: task.devices[i]!.key,
    }),
  );
  sockets.push(...devices);
  const connectMs = performance.now() - connectStart;
  const sources = task.devices.map((d, i) => gpsSource(`${d.deviceId}-${tag}`, [d.unitId ?? `BJ-P${i}`]));
  const sendOne = (i: number): void => {
    if (w.phase === 'drain') return;
    const startedAt = performance.now();
    const measured = w.measuring;
    if (measured) w.sent += 1;
    devices[i]!.emit('gps:reported', sources[i]!.next(Date.now()), (reply: AckReply) => {
      if (!reply?.ok) w.fail(reply ? reply.error.code : 'NO_REPLY');
      else if (measured && w.measuring) {
        w.acked += 1;
        w.ack.add(performance.now() - startedAt);
      }
      sendOne(i);
    });
  };
  send({ type: 'ready' });
  await started;
  await w.drive(timing, () => devices.forEach((_, i) => Array.from({ length: task.inFlight }, () => sendOne(i))));
  return result(w, connectMs, {});
}
