import { gpsSource, runTag } from './gps.ts';
import { INVESTIGATION } from './investigation.ts';
import type { GroupState, WindowMetrics } from './metrics.ts';
import type { ProfileSummary } from './profile.ts';
import type { LoadResult, Timing } from './protocol.ts';
import { fmtInt, fmtMs, fmtPct, fmtRatio } from './stats.ts';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memGiB: number;
  os: string;
  node: string;
  redis: string;
  loadAvg: number[];
  commit: string;
  dirty: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  group: 'batch' | 'single';
  /** baseline: what the full path is compared with; diagnostic: a part of the full path alone. */
  role: 'baseline' | 'diagnostic' | 'full';
  load: LoadResult | null;
  window: WindowMetrics | null;
  profile: ProfileSummary | null;
  eventsPerS: number;
  check?: { accepted: number; streamDelta: number; ok: boolean };
  pipeline?: {
    atEnd: GroupState;
    after: GroupState;
    afterMs: number;
    projectedPerSDuringLoad: number | null;
    projectedPerSAlone: number | null;
    /** CPU used while the pipeline worked alone (server process, Redis). */
    solo: { serverCpuMs: number; redisCpuMs: number };
  };
  config?: Record<string, number>;
  /** Redis memory growth of the full path, and what it means at the configured retention. */
  memory?: {
    bytesPerEvent: number;
    seenKeyBytes: number | null;
    streamBytesPerEntry: number | null;
    dedupeTtlS: number;
    defaultStreamMaxLen: number;
  };
  error?: string;
}

export interface BenchReport {
  startedAt: Date;
  durationS: number;
  quick: boolean;
  machine: MachineInfo;
  baselineTiming: Timing;
  ingestTiming: Timing;
  pipelineWatchMs: number;
  batch: { devices: number; inFlight: number; batchSize: number; units: number };
  single: { devices: number; inFlight: number };
  targets: { batch: number; single: number };
  serverOverrides: Record<string, number>;
  /** The server's defaults for the settings the bench overrides. */
  serverDefaults: { deviceRatePerS: number; deviceBurst: number; streamMaxLen: number };
  scenarios: Scenario[];
  profileDir: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;

/** CPU over the measured window as a share of one core. */
function cores(cpuMs: number | undefined, wallMs: number | undefined): number | undefined {
  return cpuMs !== undefined && wallMs ? cpuMs / wallMs : undefined;
}

/** CPU used by processes other than server, Redis and load worker during the window (another user's tests…). */
function othersCell(x: Scenario): string {
  const w = x.window;
  if (!w || w.machineBusyMs === null || !x.load) return '–';
  const ours = w.server.cpuMs + w.redisCpuMs + x.load.client.cpuMs;
  const others = Math.max(0, w.machineBusyMs - ours) / w.wallMs;
  return `${fmtPct(others)}${w.cpuStall === null ? '' : ` (stall ${fmtPct(w.cpuStall)})`}`;
}

function cpuCells(x: Scenario): [string, string, string] {
  const w = x.window;
  const wall = w?.wallMs ?? x.load?.measured.elapsedMs;
  const server = x.id.startsWith('redis-') ? undefined : w ? cores(w.server.cpuMs, wall) : undefined;
  const serverCell = server === undefined ? '–' : `${fmtPct(server)} (ELU ${fmtPct(w?.server.elu)})`;
  const redisCell = fmtPct(cores(w?.redisCpuMs, wall));
  const clientCell = x.load
    ? `${fmtPct(cores(x.load.client.cpuMs, x.load.measured.elapsedMs))} (ELU ${fmtPct(x.load.client.elu)})`
    : '–';
  return [serverCell, redisCell, clientCell];
}

/** CPU time per event acknowledged in the measured window: less sensitive to a noisy machine than events/s. */
function perEvent(x: Scenario): { server: number | undefined; redis: number | undefined } {
  const w = x.window;
  const events = x.load?.measured.events ?? 0;
  if (!w || events === 0) return { server: undefined, redis: undefined };
  return {
    server: x.id.startsWith('redis-') ? undefined : (w.server.cpuMs * 1000) / events,
    redis: (w.redisCpuMs * 1000) / events,
  };
}

const fmtUs = (us: number | undefined) => (us === undefined ? '–' : us.toFixed(1));

/** Which process ran out of room during the measured window (≥ 90 % of its one thread, or all cores busy). */
function saturated(x: Scenario, cpus: number): string {
  const w = x.window;
  if (!x.load || !w) return '–';
  const wall = w.wallMs;
  const found: string[] = [];
  const hasServer = !x.id.startsWith('redis-');
  if (hasServer && w.server.elu >= 0.9) found.push('server event loop');
  if ((cores(w.redisCpuMs, wall) ?? 0) >= 0.9) found.push('Redis');
  if (x.load.client.elu >= 0.9) found.push('load generator');
  const total =
    (hasServer ? (cores(w.server.cpuMs, wall) ?? 0) : 0) +
    (cores(w.redisCpuMs, wall) ?? 0) +
    (cores(x.load.client.cpuMs, x.load.measured.elapsedMs) ?? 0);
  if (total >= cpus * 0.9) found.push(`all ${cpus} cores`);
  return found.length ? found.join(' + ') : 'none';
}

function errorsText(load: LoadResult): string {
  const entries = Object.entries(load.totals.errors);
  return entries.length ? entries.map(([code, n]) => `${code} × ${n}`).join(', ') : 'none';
}

function scenarioTable(report: BenchReport, group: 'batch' | 'single'): string {
  const rows = report.scenarios.filter((x) => x.group === group);
  const full = rows.find((x) => x.role === 'full');
  const target = report.targets[group];
  const lines = [
    '| path | events/s | full path ÷ this | target | p50 ack | p99 ack | server CPU | Redis CPU | client CPU | other processes | saturated | CPU µs/event server / Redis |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const x of rows) {
    const lat = x.load?.measured.latency;
    const [server, redis, client] = cpuCells(x);
    const role = x.role === 'full' ? '**full ingest path**' : x.role === 'baseline' ? 'baseline' : 'diagnostic';
    const figure = x.error ? `failed: ${x.error.split('\n')[0]}` : fmtInt(x.eventsPerS);
    const targetCell =
      x.role === 'full' ? `≥ ${fmtInt(target)}: ${x.eventsPerS >= target ? '**met**' : '**missed**'}` : '';
    lines.push(
      `| ${x.role === 'full' ? `**${x.title}**` : `${role}: ${x.title}`} | ${x.role === 'full' ? `**${figure}**` : figure} | ${
        x.role === 'full' || !full ? '' : fmtRatio(full.eventsPerS, x.eventsPerS)
      } | ${targetCell} | ${fmtMs(lat?.p50)} | ${fmtMs(lat?.p99)} | ${server} | ${redis} | ${client} | ${othersCell(x)} | ${saturated(
        x,
        report.machine.cpus,
      )} | ${fmtUs(perEvent(x).server)} / ${fmtUs(perEvent(x).redis)} |`,
    );
  }
  return lines.join('\n');
}

function checkLines(report: BenchReport, group: 'batch' | 'single'): string[] {
  const out: string[] = [];
  for (const x of report.scenarios.filter((y) => y.group === group && y.load)) {
    const load = x.load!;
    const check = x.check
      ? `${fmtInt(x.check.accepted)} acknowledged as accepted, ${fmtInt(x.check.streamDelta)} new stream entries: ${
          x.check.ok ? '**equal**' : '**MISMATCH**'
        }`
      : 'no storage (relay): not applicable';
    out.push(
      `- ${x.title}: ${check}; ${fmtInt(load.totals.requests)} requests, duplicates ${fmtInt(
        load.totals.duplicates,
      )}, errors ${errorsText(load)}, unanswered at the end ${load.totals.unanswered}.`,
    );
  }
  return out;
}

function pipelineLines(x: Scenario, watchMs: number): string[] {
  const p = x.pipeline;
  if (!p) return [];
  const lag = (g: GroupState) =>
    `stream length ${fmtInt(g.length)}, read by the group ${g.entriesRead === null ? '?' : fmtInt(g.entriesRead)}, lag ${
      g.lag === null ? '?' : fmtInt(g.lag)
    }, pending (read, not yet acknowledged) ${fmtInt(g.pending)}`;
  const keptUp = p.atEnd.lag !== null && p.atEnd.lag <= 1000;
  const lines = [
    `- When the last acknowledgement arrived: ${lag(p.atEnd)}.`,
    `- ${s(watchMs)} later (no load): ${lag(p.after)}.`,
  ];
  if (p.projectedPerSDuringLoad !== null) {
    const projectedAlone = p.projectedPerSAlone ? (p.projectedPerSAlone * watchMs) / 1000 : 0;
    const soloCost = projectedAlone
      ? ` using ${fmtPct(p.solo.serverCpuMs / watchMs)} of a core in the server process and ${fmtPct(
          p.solo.redisCpuMs / watchMs,
        )} in Redis, i.e. ${fmtUs((p.solo.serverCpuMs * 1000) / projectedAlone)} µs server CPU and ${fmtUs(
          (p.solo.redisCpuMs * 1000) / projectedAlone,
        )} µs Redis CPU per projected event${p.after.lag === 0 ? ' (it caught up within the watch, so its rate is a lower bound)' : ''}`
      : '';
    lines.push(
      `- The pipeline projected **${fmtInt(p.projectedPerSDuringLoad)} events/s** during the measured window, while ingest accepted ${fmtInt(
        x.eventsPerS,
      )} events/s; alone, after the load, it projected ${
        p.projectedPerSAlone === null ? '?' : fmtInt(p.projectedPerSAlone)
      } events/s${soloCost}.`,
    );
  }
  const cap = x.memory?.defaultStreamMaxLen;
  if (cap && p.atEnd.lag !== null && p.atEnd.lag > cap) {
    lines.push(
      `- The lag exceeds the default stream cap (${fmtInt(cap)}): \`XADD … MAXLEN ~\` trims the oldest entries whether or not the consumer group has read them, so with default settings about ${fmtInt(
        p.atEnd.lag - cap,
      )} events acknowledged as stored would have been trimmed before the rules pipeline saw them.`,
    );
  }
  lines.push(
    keptUp
      ? '- **The rules pipeline kept up** (lag ≤ 1000 entries at the end).'
      : `- **The rules pipeline did not keep up**: ${
          p.atEnd.lag === null ? 'lag unknown' : `${fmtInt(p.atEnd.lag)} entries behind`
        } when the load stopped${
          p.projectedPerSAlone && p.atEnd.lag
            ? `, about ${s((p.atEnd.lag / p.projectedPerSAlone) * 1000)} of work at its solo rate`
            : ''
        }.`,
  );
  return lines;
}

function fmtBytes(n: number): string {
  if (n >= 2 ** 40) return `${(n / 2 ** 40).toFixed(1)} TiB`;
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(0)} MiB`;
  return `${Math.round(n)} B`;
}

/** Redis memory per event, and what the retention settings make of it at the target rate. */
function memoryLines(x: Scenario, target: number, machineGiB: number): string[] {
  const m = x.memory;
  if (!m || m.bytesPerEvent <= 0) return [];
  const hours = m.dedupeTtlS / 3600;
  const lines = [
    `- Redis grew by **${fmtInt(m.bytesPerEvent)} bytes per accepted event**: one stream entry (about ${
      m.streamBytesPerEntry === null ? '?' : fmtInt(m.streamBytesPerEntry)
    } B by \`MEMORY USAGE\`) plus one de-duplication key \`seen:<device>:<eventId>\` (${
      m.seenKeyBytes === null ? '?' : fmtInt(m.seenKeyBytes)
    } B) per event.`,
  ];
  if (m.seenKeyBytes) {
    const keys = target * m.dedupeTtlS;
    lines.push(
      `- The de-duplication keys live \`dedupeTtlS\` = ${fmtInt(m.dedupeTtlS)} s (${hours.toFixed(0)} h). Sustained at the target of ${fmtInt(
        target,
      )} events/s that is ${fmtInt(keys / 1e6)} million live keys, about **${fmtBytes(keys * m.seenKeyBytes)}** of Redis memory for de-duplication alone${
        keys * m.seenKeyBytes > machineGiB * 2 ** 30
          ? ` (this machine has ${machineGiB.toFixed(0)} GiB): one key per event and per TTL does not fit a sustained rate of this order, only bursts`
          : ''
      }.`,
    );
  }
  lines.push(
    `- The default stream cap \`BEACON_STREAM_MAXLEN\` = ${fmtInt(m.defaultStreamMaxLen)} entries holds ${(
      m.defaultStreamMaxLen / target
    ).toFixed(0)} s of events at the target rate (this run raised the cap so that nothing was trimmed).`,
  );
  return lines;
}

function commandLines(x: Scenario): string[] {
  const w = x.window;
  if (!w || w.commands.length === 0) return [];
  const wallS = w.wallMs / 1000;
  const lines = [
    '| Redis command (incl. calls inside scripts) | calls/s | µs per call | Redis time |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const c of w.commands.slice(0, 8)) {
    lines.push(
      `| ${c.command} | ${fmtInt(c.calls / wallS)} | ${c.usecPerCall.toFixed(2)} | ${fmtPct(c.usec / 1000 / w.wallMs)} |`,
    );
  }
  lines.push(
    '',
    `"Redis time" is the share of the window spent executing that command (EVALSHA includes the commands its script runs). Slowlog (> 5 ms): ${
      w.slowlog.count
    } entries${w.slowlog.count ? `, slowest ${fmtMs(w.slowlog.maxUs / 1000)}` : ''}.`,
  );
  return lines;
}

function profileLines(x: Scenario, report: BenchReport): string[] {
  const p = x.profile;
  if (!p) return [];
  const busy = 1 - p.idle;
  const lines = [
    `Server CPU profile (${s(p.durationMs)} right after the measured window, same load, V8 sampling every 0.5 ms; \`${report.profileDir}/${x.id}.cpuprofile\`, open in Chrome DevTools). The server was executing in ${fmtPct(busy)} of the samples; shares below are of those busy samples:`,
    '',
    '| server part (outermost Beacon frame on the stack) | share | | area (self time) | share |',
    '| --- | ---: | --- | --- | ---: |',
  ];
  const n = Math.max(p.byBeaconModule.length, p.byArea.length, 0);
  for (let i = 0; i < Math.min(n, 10); i += 1) {
    const m = p.byBeaconModule[i];
    const a = p.byArea[i];
    lines.push(
      `| ${m ? m.module : ''} | ${m ? fmtPct(m.share) : ''} | | ${a ? a.area : ''} | ${a ? fmtPct(a.share) : ''} |`,
    );
  }
  lines.push('', '| hottest functions (self time) | where | share |', '| --- | --- | ---: |');
  for (const f of p.topFunctions.slice(0, 10))
    lines.push(`| \`${f.fn}\` | ${f.where} | ${(f.share * 100).toFixed(1)} % |`);
  lines.push(
    '',
    '"no Beacon frame" is work outside Beacon’s handlers: Socket.IO / engine.io / ws framing and parsing, ioredis reply parsing, timers. Async continuations start a new stack, so their frames count where they resume.',
  );
  return lines;
}

/** What the measurements say about a full-path scenario, in plain words. */
function verdict(report: BenchReport, group: 'batch' | 'single'): string[] {
  const rows = report.scenarios.filter((x) => x.group === group);
  const full = rows.find((x) => x.role === 'full');
  if (!full || full.error || !full.load) return ['- The full-path scenario failed; see the table above.'];
  const target = report.targets[group];
  const relay = rows.find((x) => x.id.startsWith('relay-'));
  const script = rows.find((x) => x.id.startsWith('redis-script'));
  const w = full.window;
  const wall = w?.wallMs ?? full.load.measured.elapsedMs;
  const server = cores(w?.server.cpuMs, wall) ?? 0;
  const redis = cores(w?.redisCpuMs, wall) ?? 0;
  const client = cores(full.load.client.cpuMs, full.load.measured.elapsedMs) ?? 0;
  const out: string[] = [];
  out.push(
    full.eventsPerS >= target
      ? `- Target ≥ ${fmtInt(target)} events/s **met**: ${fmtInt(full.eventsPerS)} events/s.`
      : `- Target ≥ ${fmtInt(target)} events/s **missed**: ${fmtInt(full.eventsPerS)} events/s, ${fmtPct(
          full.eventsPerS / target,
        )} of the target.`,
  );
  if (relay && relay.eventsPerS > 0) {
    out.push(
      `- The bare Socket.IO relay, same client, same machine, reached ${fmtInt(relay.eventsPerS)} events/s: the full path runs at ${fmtRatio(
        full.eventsPerS,
        relay.eventsPerS,
      )} of it${
        relay.eventsPerS < target
          ? `, and the relay itself is below the target, so on this machine the target is out of reach for this transport and client whatever the server does`
          : ''
      }.`,
    );
  }
  if (script && script.eventsPerS > 0) {
    out.push(
      `- The acceptBatch script alone, fed by one ioredis client, reached ${fmtInt(script.eventsPerS)} events/s (Redis at ${fmtPct(
        cores(script.window?.redisCpuMs, script.window?.wallMs),
      )} of a core).`,
    );
  }
  out.push(
    `- During the measured window the server process used ${fmtPct(server)} of a core (event loop busy ${fmtPct(
      w?.server.elu,
    )}), Redis ${fmtPct(redis)}, the load worker ${fmtPct(client)}: ${fmtPct(server + redis + client)} of the ${
      report.machine.cpus
    } × 100 % this machine has.${
      (w?.server.elu ?? 0) >= 0.9
        ? server < (w?.server.elu ?? 0) * 0.8
          ? ` The server’s event loop was busy ${fmtPct(w?.server.elu)} of the time but on a CPU only ${fmtPct(
              server,
            )}: it was the bottleneck, and it spent part of its turn waiting for a core.`
          : ' The server’s event loop was saturated: it is the bottleneck.'
        : server + redis + client >= report.machine.cpus * 0.9
          ? ' The machine’s cores were saturated: the three processes compete for CPU.'
          : ''
    }`,
  );
  if (w && w.machineBusyMs !== null) {
    const others = Math.max(0, w.machineBusyMs - w.server.cpuMs - w.redisCpuMs - full.load.client.cpuMs) / w.wallMs;
    if (others >= 0.2) {
      out.push(
        `- **Other processes on this machine used ${fmtPct(others)} of a core during the window**, which the three processes of the bench had to share: this figure is lower than on an idle machine. The CPU µs per event in the table is the steadier comparison between runs.`,
      );
    }
  }
  const prof = full.profile;
  if (prof) {
    const top = prof.byBeaconModule
      .filter((m) => !m.module.startsWith('('))
      .slice(0, 3)
      .map((m) => `${m.module} ${fmtPct(m.share)}`)
      .join(', ');
    out.push(`- Where the server’s CPU went (profile): ${top}.`);
  }
  const probe = full.load.probe;
  if (probe?.latency) {
    out.push(
      `- Meanwhile \`GET /healthz\` (one PING on the server’s shared Redis connection, every 200 ms from the load process) took p50 ${fmtMs(
        probe.latency.p50,
      )}, max ${fmtMs(probe.latency.max)} (${probe.latency.count} probes${
        probe.failures ? `, ${probe.failures} failed` : ''
      }), while the server’s event-loop delay was p50 ${fmtMs(w?.loopDelay.p50)}, p99 ${fmtMs(
        w?.loopDelay.p99,
      )}: the difference is time queued on Redis behind the ingest commands already sent on that connection, and every other request that needs it (dispatch, snapshots) waits as long.`,
    );
  }
  const fullCost = perEvent(full).server;
  const relayCost = relay ? perEvent(relay).server : undefined;
  if (fullCost !== undefined && relayCost !== undefined) {
    out.push(
      `- Server CPU per acknowledged event: ${fmtUs(fullCost)} µs on the full path, ${fmtUs(
        relayCost,
      )} µs for the bare relay: Beacon’s own work (validation, the Redis script call, and the rules pipeline sharing the process) adds ${fmtUs(
        fullCost - relayCost,
      )} µs per event.`,
    );
  }
  const p = full.pipeline;
  if (p?.projectedPerSAlone && p.solo.serverCpuMs > 0) {
    const projected = (p.projectedPerSAlone * report.pipelineWatchMs) / 1000;
    const usPerEvent = (p.solo.serverCpuMs * 1000) / projected;
    const redisUsPerEvent = (p.solo.redisCpuMs * 1000) / projected;
    out.push(
      `- The rules pipeline, measured alone after the load, costs ${fmtUs(usPerEvent)} µs of server CPU and ${fmtUs(
        redisUsPerEvent,
      )} µs of Redis CPU per event. Projecting everything at the accepted rate would need about ${fmtPct(
        (usPerEvent * full.eventsPerS) / 1e6,
      )} of a core in the server and ${fmtPct((redisUsPerEvent * full.eventsPerS) / 1e6)} in Redis on top of ingest${
        (p.atEnd.lag ?? 0) > 1000
          ? ', which is why it fell behind: the accepted rate is only reachable while the pipeline lags'
          : ''
      }.`,
    );
  }
  return out;
}

function gpsJsonBytes(): number {
  const source = gpsSource(`BENCH-GW-1-${runTag()}`, ['BJ-P001']);
  let total = 0;
  for (let i = 0; i < 100; i += 1) total += JSON.stringify(source.next(Date.now())).length;
  return Math.round(total / 100);
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const b = report.batch;
  const one = report.single;
  const it = report.ingestTiming;
  const bt = report.baselineTiming;
  const full = (group: 'batch' | 'single') => report.scenarios.find((x) => x.group === group && x.role === 'full');
  const out: string[] = [];
  out.push(
    '# Benchmarks',
    '',
    `_Generated by \`pnpm bench\` (\`bench/run.ts\`); every run overwrites this file. Figures from one run on a shared, noisy machine: compare each figure with the baseline measured in the same run, not with another run._${
      report.quick ? ' **Quick mode (`--quick`): short windows, figures are indicative only.**' : ''
    }`,
    '',
    '## Run',
    '',
    '| | |',
    '| --- | --- |',
    `| date | ${report.startedAt.toISOString()} |`,
    `| machine | ${m.cpus} × ${m.cpuModel} (\`nproc\` = ${m.cpus}), ${m.memGiB.toFixed(0)} GiB, ${m.os} |`,
    `| load average at start | ${m.loadAvg.map((l) => l.toFixed(2)).join(' / ')} |`,
    `| Node / Redis | ${m.node} / redis-server ${m.redis} (throw-away, no persistence) |`,
    `| code | commit ${m.commit}${m.dirty ? ', with uncommitted changes under server/ or shared/' : ''} |`,
    `| run time | ${report.durationS.toFixed(0)} s |`,
    '',
    '## Method',
    '',
    '- **Processes.** `bench/run.ts` starts a throw-away `redis-server` on a random loopback port and hosts the server under test: the real one, `createApp` from `server/src` wired as in production (real clock, production ioredis options, the rules pipeline and fan-out running in the same process as in production, logs silent), or the bare Socket.IO relay. Each load runs in a separate process (`bench/worker.ts`, forked), so clients never share the server’s event loop. **This machine has ' +
      `${m.cpus} cores: client, server and Redis compete for them**, so each table gives the CPU each process used during the measured window (100 % = one core; ELU = event-loop utilisation), the CPU used by **other processes** on the machine in the same window (\`/proc/stat\` minus ours: someone else’s test run shows here) and the **stall**, the share of the window in which some task, ours included, waited for a CPU (Linux PSI). **CPU µs/event** (process CPU ÷ events acknowledged in the window) varies less between runs than events/s on a busy machine.`,
    `- **Server settings.** Defaults, except \`deviceRatePerS\` = \`deviceBurst\` = ${fmtInt(
      report.serverOverrides.deviceRatePerS ?? 0,
    )}, so the per-device rate limiter never refuses (it still runs), and \`streamMaxLen\` = ${fmtInt(
      report.serverOverrides.streamMaxLen ?? 0,
    )}, so nothing is trimmed and stream growth counts stored events exactly. Redis is emptied and a new server started for each scenario. With the default limit (${fmtInt(
      report.serverDefaults.deviceRatePerS,
    )} events/s per device, burst ${fmtInt(report.serverDefaults.deviceBurst)}) the ${b.devices} gateways of the batch scenario could send at most ${fmtInt(
      b.devices * report.serverDefaults.deviceRatePerS,
    )} events/s sustained.`,
    `- **Traffic.** All on 127.0.0.1. Socket.IO clients connect to \`/ingest\` with \`transports: ['websocket']\` (no long-polling phase) and the device keys the server issued (\`app.devices.addDevice\`). Every event is a valid \`gps:reported\` fix: unique \`eventId\`, \`ts\` = now, WGS-84 around 105.3 E 27.3 N, speed and heading; about ${gpsJsonBytes()} bytes of JSON.`,
    `- **ingest:batch:** ${b.devices} fleet-gateway devices (patrol devices not bound to one unit, reporting for ${b.units} units), each keeping ${b.inFlight} batches of ${b.batchSize} items in flight. **Single events:** ${one.devices} patrol terminals (one unit each), each keeping ${one.inFlight} \`gps:reported\` in flight; a new request goes out as soon as an acknowledgement comes back.`,
    `- **Windows.** Full path: ${s(it.warmupMs)} warm-up, then ${s(it.measureMs)} measured${
      it.profileMs ? `, then ${s(it.profileMs)} more under the CPU profiler (not counted)` : ''
    }. Baselines: ${s(bt.warmupMs)} warm-up, ${s(bt.measureMs)} measured. **events/s** = events acknowledged \`ok\` during the measured window ÷ its length; **p50/p99 ack** = time from \`emit\` to the acknowledgement in the client, for requests answered in the window (per batch for batches).`,
    '- **Baselines** (same run, same client code): **raw Redis**, pipelines of XADDs (the same fields and GPS JSON the server stores) from one ioredis client, as many pipelines in flight as there are gateway devices; **bare Socket.IO relay**, a `socket.io` server with the real server’s options that acknowledges each event or batch at once (no auth, validation or Redis). **Diagnostic:** the server’s `acceptBatch` Lua script called directly from one ioredis client, 1000 events per call or 1 per call with as many calls in flight as the single-event scenario has requests in flight — what Redis alone can do with the server’s storage step.',
    '- **Correctness.** After each run, the events acknowledged as accepted are compared with the growth of the Redis stream (`XLEN`). **Rules pipeline.** `XINFO GROUPS` on `beacon:ingest` (`entries-read`, `lag`, `pending`) at the start and end of the window, when the last acknowledgement arrived, and again after the pipeline worked alone for ' +
      `${s(report.pipelineWatchMs)}. **Redis.** \`CONFIG RESETSTAT\` at the start of the window, \`INFO commandstats\` / \`INFO cpu\` / \`SLOWLOG\` at its end.`,
    '',
  );

  for (const group of ['batch', 'single'] as const) {
    const f = full(group);
    out.push(
      group === 'batch'
        ? '## ingest:batch, 1000 GPS items per batch'
        : `## Single acknowledged events from ${one.devices} devices`,
      '',
      scenarioTable(report, group),
      '',
      '### Verdict',
      '',
      ...verdict(report, group),
      '',
      '### Correctness',
      '',
      ...checkLines(report, group),
      '',
    );
    if (f?.pipeline) out.push('### Rules pipeline', '', ...pipelineLines(f, report.pipelineWatchMs), '');
    if (f?.memory)
      out.push('### Redis memory', '', ...memoryLines(f, report.targets[group], report.machine.memGiB), '');
    if (f?.window) out.push('### Redis during the measured window (full path)', '', ...commandLines(f), '');
    if (f?.profile) out.push('### Where the server’s time goes', '', ...profileLines(f, report), '');
  }
  out.push(
    INVESTIGATION,
    '## Reproduce',
    '',
    '```sh',
    'pnpm bench                 # about 40 minutes with the wall’s 30-minute heap run; writes this file',
    'pnpm bench --no-profile    # without the profiling phase',
    'pnpm bench --quick         # short windows, under 3 minutes; keeps the wall section from its last run',
    'pnpm bench --quick --only=wall   # the wall alone, quick variant (about 5 minutes); replaces only its section',
    'pnpm bench --quick --wall  # everything, the wall’s quick variant included (about 7 minutes)',
    'pnpm bench --only=relay-single,ingest-single --out=/tmp/bench.md   # some scenarios; no --out: summary only',
    'pnpm bench --only=latency-bare,latency-beacon,fanout-bare,fanout-beacon,fanout-beacon-2,ingest-1-node,ingest-2-node,catch-up --out=/tmp/rt.md',
    '```',
    '',
  );
  return out.join('\n');
}

function line(x: Scenario): string {
  if (x.error) return `FAILED: ${x.error.split('\n')[0]}`;
  const lat = x.load?.measured.latency;
  const check = x.check ? (x.check.ok ? ', stored = acked' : ', STORED != ACKED') : '';
  return `${fmtInt(x.eventsPerS)} events/s, p50 ${fmtMs(lat?.p50)}, p99 ${fmtMs(lat?.p99)}${check}`;
}

function table(report: BenchReport): string {
  const rows = [['scenario', 'events/s', 'p50', 'p99', 'µs/ev srv', 'µs/ev redis', 'pipeline/s', 'target', 'check']];
  for (const x of report.scenarios) {
    const lat = x.load?.measured.latency;
    const target = x.role === 'full' ? report.targets[x.group] : 0;
    const cost = perEvent(x);
    const projected = x.pipeline?.projectedPerSDuringLoad;
    rows.push([
      `${x.role === 'full' ? '*' : ' '} ${x.id}`,
      x.error ? 'FAILED' : fmtInt(x.eventsPerS),
      fmtMs(lat?.p50),
      fmtMs(lat?.p99),
      fmtUs(cost.server),
      fmtUs(cost.redis),
      projected === undefined || projected === null ? '' : fmtInt(projected),
      target ? `${x.eventsPerS >= target ? 'met' : 'MISSED'} (≥ ${fmtInt(target)})` : '',
      x.check ? (x.check.ok ? 'ok' : 'MISMATCH') : '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export const renderSummary = { line, table };
