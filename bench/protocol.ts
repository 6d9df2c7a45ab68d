import type { LatencySummary } from './stats.ts';

/** Messages between the orchestrator (run.ts, which also hosts the server) and a load worker (worker.ts). */

export interface DeviceCredentials {
  deviceId: string;
  key: string;
  /** Unit the device reports for (patrol terminals); fleet gateways pick among `units`. */
  unitId?: string;
}

export type Load =
  /** Pipelined XADD of GPS-sized entries from one ioredis client. */
  | { kind: 'xadd'; redisUrl: string; stream: string; pipeline: number; inFlight: number; maxLen: number }
  /** The server's acceptBatch Lua script called directly from one ioredis client (`items` per call). */
  | {
      kind: 'script';
      redisUrl: string;
      keyPrefix: string;
      items: number;
      inFlight: number;
      maxLen: number;
      dedupeTtlS: number;
    }
  /** `ingest:batch` of `batchSize` GPS items, `inFlight` batches outstanding per device. */
  | {
      kind: 'socket-batch';
      url: string;
      devices: DeviceCredentials[];
      units: string[];
      batchSize: number;
      inFlight: number;
    }
  /** `gps:reported` one event at a time, `inFlight` outstanding per device. */
  | { kind: 'socket-single'; url: string; devices: DeviceCredentials[]; inFlight: number };

export interface Timing {
  warmupMs: number;
  measureMs: number;
  /** Load kept up after the measured window while the orchestrator profiles the server (0: none). */
  profileMs: number;
  /** How long to wait for outstanding acknowledgements once sending stopped. */
  drainTimeoutMs: number;
}

export type Phase = 'warmup' | 'measure' | 'profile' | 'drain';

/** `probeUrl`: fetched every 200 ms during the measured window (GET /healthz: a PING on the server's shared Redis connection). */
export type ToWorker = { type: 'run'; load: Load; timing: Timing; probeUrl?: string };

export interface LoadResult {
  /** Completed during the measured window only. */
  measured: {
    elapsedMs: number;
    events: number;
    requests: number;
    latency: LatencySummary | null;
  };
  /** Whole run (warm-up, measure, profile, drain). */
  totals: {
    sentEvents: number;
    requests: number;
    okEvents: number;
    accepted: number;
    duplicates: number;
    /** Failed acknowledgements by error code (or `TRANSPORT` for a Redis/socket error). */
    errors: Record<string, number>;
    /** Requests still without an answer when the drain timed out. */
    unanswered: number;
  };
  /** Latency of `probeUrl` during the measured window; failures are requests without a 200. */
  probe: { latency: LatencySummary | null; failures: number } | null;
  /** The worker process during the measured window. */
  client: { cpuMs: number; elu: number };
  setupMs: number;
}

export type FromWorker =
  | { type: 'phase'; phase: Phase; at: number }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string };
