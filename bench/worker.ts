/**
 * Load generator, forked by run.ts so that clients never share the server's event loop. Receives one
 * `run` message, drives the load through warm-up → measure → (profile) → drain, reports a LoadResult
 * and exits. Exits on its own when the orchestrator goes away.
 */
import { performance } from 'node:perf_hooks';
import { withScripts } from '../server/src/redis/scripts.ts';
import { io, Redis, type ClientSocket } from './deps.ts';
import { gpsSource, runTag, unitIdFor } from './gps.ts';
import type { DeviceCredentials, FromWorker, Load, LoadResult, Phase, Timing, ToWorker } from './protocol.ts';
import { Samples } from './stats.ts';

type Outcome = { ok: true; accepted: number; duplicates: number } | { ok: false; code: string };
type AckReply = { ok: true; data: { accepted: number; duplicates: number } } | { ok: false; error: { code: string } };

function send(message: FromWorker): void {
  process.send?.(message);
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToWorker) => {
  if (message.type !== 'run') return;
  run(message.load, message.timing, message.probeUrl).then(
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

/** Bookkeeping shared by every load: what is outstanding, what completed in the measured window. */
class Tracker {
  phase: Phase = 'warmup';
  inflight = 0;
  private measureStart = 0;
  private measureEnd = 0;
  private measuredEvents = 0;
  private measuredRequests = 0;
  private readonly latency = new Samples();
  private cpuAtStart = process.cpuUsage();
  private eluAtStart = performance.eventLoopUtilization();
  private client = { cpuMs: 0, elu: 0 };
  readonly totals: LoadResult['totals'] = {
    sentEvents: 0,
    requests: 0,
    okEvents: 0,
    accepted: 0,
    duplicates: 0,
    errors: {},
    unanswered: 0,
  };

  get sending(): boolean {
    return this.phase !== 'drain';
  }

  sent(events: number): number {
    this.inflight += 1;
    this.totals.requests += 1;
    this.totals.sentEvents += events;
    return performance.now();
  }

  done(startedAt: number, events: number, outcome: Outcome): void {
    const now = performance.now();
    this.inflight -= 1;
    if (outcome.ok) {
      this.totals.okEvents += events;
      this.totals.accepted += outcome.accepted;
      this.totals.duplicates += outcome.duplicates;
    } else {
      this.totals.errors[outcome.code] = (this.totals.errors[outcome.code] ?? 0) + 1;
    }
    if (this.phase === 'measure' && outcome.ok) {
      this.measuredEvents += events;
      this.measuredRequests += 1;
      this.latency.add(now - startedAt);
    }
  }

  enter(phase: Phase): void {
    const now = performance.now();
    if (phase === 'measure') {
      this.measureStart = now;
      this.cpuAtStart = process.cpuUsage();
      this.eluAtStart = performance.eventLoopUtilization();
    } else if (this.phase === 'measure') {
      this.measureEnd = now;
      const cpu = process.cpuUsage(this.cpuAtStart);
      this.client = {
        cpuMs: (cpu.user + cpu.system) / 1000,
        elu: performance.eventLoopUtilization(this.eluAtStart).utilization,
      };
    }
    this.phase = phase;
    send({ type: 'phase', phase, at: Date.now() });
  }

  result(setupMs: number): LoadResult {
    return {
      measured: {
        elapsedMs: this.measureEnd - this.measureStart,
        events: this.measuredEvents,
        requests: this.measuredRequests,
        latency: this.latency.summary(),
      },
      totals: { ...this.totals, errors: { ...this.totals.errors }, unanswered: this.inflight },
      client: this.client,
      probe: null,
      setupMs,
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drive(tracker: Tracker, timing: Timing, start: () => void): Promise<void> {
  tracker.enter('warmup');
  start();
  await sleep(timing.warmupMs);
  tracker.enter('measure');
  await sleep(timing.measureMs);
  if (timing.profileMs > 0) {
    tracker.enter('profile');
    await sleep(timing.profileMs);
  }
  tracker.enter('drain');
  const deadline = Date.now() + timing.drainTimeoutMs;
  while (tracker.inflight > 0 && Date.now() < deadline) await sleep(20);
}

function fromAck(reply: AckReply | undefined): Outcome {
  if (reply && reply.ok) return { ok: true, accepted: reply.data.accepted, duplicates: reply.data.duplicates };
  return { ok: false, code: reply && !reply.ok ? reply.error.code : 'NO_REPLY' };
}

function connectDevice(url: string, device: DeviceCredentials): Promise<ClientSocket> {
  const socket = io(`${url}/ingest`, {
    auth: { deviceId: device.deviceId, key: device.key },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error) => {
      socket.close();
      reject(new Error(`${device.deviceId} could not connect: ${error.message}`));
    });
  });
}

async function run(load: Load, timing: Timing, probeUrl: string | undefined): Promise<LoadResult> {
  const cleanup: (() => void)[] = [];
  try {
    const setupStart = performance.now();
    const tracker = new Tracker();
    const start = await prepare(load, tracker, cleanup);
    const setupMs = performance.now() - setupStart;
    const probe = probeUrl ? startProbe(probeUrl, tracker) : null;
    await drive(tracker, timing, start);
    return { ...tracker.result(setupMs), probe: probe ? await probe.stop() : null };
  } finally {
    for (const fn of cleanup) fn();
  }
}

/** GET `url` every 200 ms, one at a time, recording latencies of requests started in the measured window. */
function startProbe(url: string, tracker: Tracker) {
  const latency = new Samples();
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await sleep(200);
      if (tracker.phase !== 'measure') continue;
      const startedAt = performance.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        if (response.status === 200) latency.add(performance.now() - startedAt);
        else failures += 1;
      } catch {
        failures += 1;
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { latency: latency.summary(), failures };
    },
  };
}

/** Connect what the load needs; returns the function that puts the first requests in flight. */
async function prepare(load: Load, tracker: Tracker, cleanup: (() => void)[]): Promise<() => void> {
  const tag = runTag();
  switch (load.kind) {
    case 'xadd': {
      const redis = new Redis(load.redisUrl, { maxRetriesPerRequest: 1 });
      cleanup.push(() => redis.disconnect());
      await redis.ping();
      const source = gpsSource(`RAW-${tag}`, [unitIdFor(0), unitIdFor(1), unitIdFor(2), unitIdFor(3)]);
      const sendPipeline = (): void => {
        if (!tracker.sending) return;
        const now = Date.now();
        const pipeline = redis.pipeline();
        for (let i = 0; i < load.pipeline; i += 1) {
          pipeline.xadd(
            load.stream,
            'MAXLEN',
            '~',
            load.maxLen,
            '*',
            'kind',
            'gps',
            'device',
            'BENCH-RAW',
            'receivedAt',
            now,
            'payload',
            JSON.stringify(source.next(now)),
          );
        }
        const startedAt = tracker.sent(load.pipeline);
        pipeline.exec().then(
          (replies) => {
            const failed = (replies ?? []).some(([error]) => error);
            tracker.done(
              startedAt,
              load.pipeline,
              failed ? { ok: false, code: 'TRANSPORT' } : { ok: true, accepted: load.pipeline, duplicates: 0 },
            );
            sendPipeline();
          },
          () => tracker.done(startedAt, load.pipeline, { ok: false, code: 'TRANSPORT' }),
        );
      };
      return () => {
        for (let i = 0; i < load.inFlight; i += 1) sendPipeline();
      };
    }
    case 'script': {
      const redis = withScripts(new Redis(load.redisUrl, { maxRetriesPerRequest: 1 }));
      cleanup.push(() => redis.disconnect());
      await redis.ping();
      const deviceId = 'BENCH-SCRIPT';
      const source = gpsSource(`SCRIPT-${tag}`, [unitIdFor(0), unitIdFor(1), unitIdFor(2), unitIdFor(3)]);
      const call = (): void => {
        if (!tracker.sending) return;
        const now = Date.now();
        const args: (string | number)[] = [
          `${load.keyPrefix}:seen:${deviceId}:`,
          load.dedupeTtlS,
          load.maxLen,
          deviceId,
          now,
        ];
        for (let i = 0; i < load.items; i += 1) {
          const event = source.next(now);
          args.push(event.eventId, 'gps', JSON.stringify(event));
        }
        const startedAt = tracker.sent(load.items);
        redis.acceptBatch(`${load.keyPrefix}:ingest`, ...args).then(
          (accepted) => {
            const n = Number(accepted);
            tracker.done(startedAt, load.items, { ok: true, accepted: n, duplicates: load.items - n });
            call();
          },
          () => tracker.done(startedAt, load.items, { ok: false, code: 'TRANSPORT' }),
        );
      };
      return () => {
        for (let i = 0; i < load.inFlight; i += 1) call();
      };
    }
    case 'socket-batch': {
      const sockets = await connectAll(load.url, load.devices, tracker, cleanup);
      const sources = load.devices.map((device) => gpsSource(`${device.deviceId}-${tag}`, load.units));
      const sendBatch = (index: number): void => {
        if (!tracker.sending) return;
        const items = sources[index]!.batch(load.batchSize, Date.now());
        const startedAt = tracker.sent(items.length);
        sockets[index]!.emit('ingest:batch', items, (reply: AckReply) => {
          tracker.done(startedAt, items.length, fromAck(reply));
          sendBatch(index);
        });
      };
      return () => {
        for (let d = 0; d < sockets.length; d += 1) for (let i = 0; i < load.inFlight; i += 1) sendBatch(d);
      };
    }
    case 'socket-single': {
      const sockets = await connectAll(load.url, load.devices, tracker, cleanup);
      const sources = load.devices.map((device) =>
        gpsSource(`${device.deviceId}-${tag}`, [device.unitId ?? 'BJ-P000']),
      );
      const sendOne = (index: number): void => {
        if (!tracker.sending) return;
        const event = sources[index]!.next(Date.now());
        const startedAt = tracker.sent(1);
        sockets[index]!.emit('gps:reported', event, (reply: AckReply) => {
          tracker.done(startedAt, 1, fromAck(reply));
          sendOne(index);
        });
      };
      return () => {
        for (let d = 0; d < sockets.length; d += 1) for (let i = 0; i < load.inFlight; i += 1) sendOne(d);
      };
    }
  }
}

async function connectAll(
  url: string,
  devices: DeviceCredentials[],
  tracker: Tracker,
  cleanup: (() => void)[],
): Promise<ClientSocket[]> {
  const settled = await Promise.allSettled(devices.map((device) => connectDevice(url, device)));
  const sockets = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  // A socket that drops mid-run loses its outstanding acknowledgements: count it, the drain will time out.
  for (const socket of sockets) {
    socket.on('disconnect', (reason: string) => {
      const code = `DISCONNECTED (${reason})`;
      tracker.totals.errors[code] = (tracker.totals.errors[code] ?? 0) + 1;
    });
  }
  cleanup.push(() => sockets.forEach((socket) => socket.close()));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return sockets;
}
