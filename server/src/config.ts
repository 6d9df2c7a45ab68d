import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_SLA_POLICY, describeZodError, type SlaPolicy } from '@beacon/shared';
import { parseSlaPolicy } from './sla/sla-policy.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'),
  /**
   * Redis Sentinel: `host:port,host:port` of the sentinels; the server asks them for the current primary of
   * `redisSentinelName` and follows a failover. REDIS_URL then only gives the password and database.
   */
  redisSentinels: z
    .string()
    .regex(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, 'host:port,host:port')
    .transform((list) =>
      list.split(',').map((entry) => {
        const [host, port] = entry.split(':');
        return { host: host!, port: Number(port) };
      }),
    )
    .nullable()
    .default(null),
  redisSentinelName: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('mymaster'),
  keyPrefix: z
    .string()
    .regex(/^[a-z0-9_-]+$/i, 'letters, digits, _ and - only')
    .default('beacon'),
  /**
   * This server node's name among the nodes sharing one Redis: its consumer name in the rules group and its
   * name in logs. Must be unique per running node; null: `<hostname>-<pid>-<random>`, new on every start.
   */
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1–64 letters, digits, _ . : and - only')
    .nullable()
    .default(null),
  /** How often batched GPS positions are flushed to screens. */
  tickMs: z.coerce.number().int().min(20).max(10_000).default(250),
  /** Detections within this radius and window fold into one open pedestrian incident. */
  pedestrianMergeRadiusM: z.coerce.number().min(0).max(10_000).default(300),
  pedestrianMergeWindowMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
  /** Detections on the same expressway within this many metres of stake correlate into one incident. */
  pedestrianSectionM: z.coerce.number().min(0).max(50_000).default(2000),
  /** An alarm with no repeat for this long closes itself. */
  alarmQuietMs: z.coerce
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000),
  /** How often deadlines (SLA timers, the daily cycle) and quiet alarms are checked. */
  sweepMs: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** How long an eventId is remembered for de-duplication. */
  dedupeTtlS: z.coerce
    .number()
    .int()
    .min(60)
    .default(24 * 3600),
  /** Device timestamps further ahead of the server clock than this are rejected. */
  maxFutureSkewMs: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** Per-device rate limit (events per second, sustained) and burst. */
  deviceRatePerS: z.coerce.number().min(1).default(5000),
  deviceBurst: z.coerce.number().min(1).default(20_000),
  /** Per-person (session actor) rate limit on /ops commands (commands per second, sustained) and burst. */
  opsCommandRatePerS: z.coerce.number().min(0.1).default(20),
  opsCommandBurst: z.coerce.number().min(1).default(100),
  /** Socket.IO connections (/ingest and /ops together) one client address may hold on this node; 0: no limit. */
  maxConnectionsPerIp: z.coerce.number().int().min(0).default(200),
  /** Bearer token that may read GET /metrics; null: only loopback addresses may. */
  metricsToken: z.string().min(16, 'at least 16 characters').nullable().default(null),
  /** How long the rules pipeline blocks waiting for new entries (bounds shutdown time). */
  pipelineBlockMs: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Entries left unacknowledged this long by a consumer (a crashed server) are taken over by another. */
  pipelineClaimIdleMs: z.coerce.number().int().min(100).default(30_000),
  /** Entries older than this are trimmed from the ingest and domain-event streams. */
  streamMaxAgeMs: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(7 * 24 * 3600_000),
  /** Approximate cap on the ingest and domain-event streams. */
  streamMaxLen: z.coerce.number().int().min(1000).default(1_000_000),
  /** Feed health: a device with no accepted event for this long is quiet. */
  healthQuietAfterMs: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  /** Feed health: a unit whose newest GPS fix is older than this has lost its signal and is not recommended. */
  lostSignalAfterMs: z.coerce.number().int().min(1000).default(60_000),
  /** Feed health: a weather station repeating one identical reading this long is stuck. */
  stuckAfterMs: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30 * 60_000),
  /** Feed health: consecutive GPS fixes implying more than this speed are an implausible jump. */
  implausibleSpeedKmh: z.coerce.number().min(1).default(250),
  /** Feed health: how long a unit stays flagged after its last implausible jump. */
  jumpFlagMs: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10 * 60_000),
  /** Feed health: how often the counts are recomputed and pushed to screens when they changed. */
  healthPushMs: z.coerce.number().int().min(50).max(60_000).default(5000),
  /** How weather stations' `precipitationMm` is read by the alert rules (the demo stations send a rate). */
  rainInterpretation: z.enum(['increment', 'cumulativeSinceMidnight', 'ratePerHour']).default('increment'),
  /** A weather warning controls the station's corridor this many km either side of its stake. */
  alertSegmentKm: z.coerce.number().min(0.1).max(100).default(5),
  clientDist: z.string().default(path.join(repoRoot, 'client/dist')),
  regionDir: z.string().default(path.join(repoRoot, 'regions/bijie')),
  /**
   * Run this server for one drill: every key lives under `<prefix>:drill:<id>`, everything created carries
   * the id, screens show the 演练 watermark. Live servers (no id) never see it.
   */
  drillId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, '1–32 letters, digits, _ or -')
    .nullable()
    .default(null),
  /** A reconnecting screen is replayed at most this many missed events; beyond that it reloads a snapshot. */
  catchupMaxEvents: z.coerce.number().int().min(100).max(1_000_000).default(50_000),
  /** Origins (scheme://host[:port]) of an intranet basemap the wall may load; comma list. */
  tileOrigins: z
    .string()
    .regex(/^https?:\/\/[\w.-]+(:\d+)?(,https?:\/\/[\w.-]+(:\d+)?)*$/, 'comma list of http(s)://host[:port]')
    .transform((list) => list.split(','))
    .default([]),
  /** How long a person's login lasts (seconds). */
  sessionTtlS: z.coerce
    .number()
    .int()
    .min(60)
    .default(12 * 3600),
  /** When set, every screen shows that it is fed by simulated data (e.g. `demo×20`). */
  demoNotice: z.string().max(40).nullable().default(null),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** SLA timers per priority (docs/STATISTICS.md); from `BEACON_SLA_POLICY`, checked by parseSlaPolicy. */
  slaPolicy: z.custom<SlaPolicy>().default(DEFAULT_SLA_POLICY),
});
export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Build a config from explicit values (tests) with the documented defaults. Throws a readable error. */
export function parseConfig(input: ConfigInput): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) throw new Error(`invalid configuration: ${describeZodError(result.error)}`);
  return result.data;
}

/** Read the server configuration from the environment (see README "Configuration"). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const pick = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  return parseConfig({
    port: pick('PORT') as unknown as number,
    host: pick('HOST'),
    redisUrl: pick('REDIS_URL') ?? '',
    redisSentinels: pick('REDIS_SENTINELS') ?? null,
    redisSentinelName: pick('REDIS_SENTINEL_NAME'),
    keyPrefix: pick('BEACON_KEY_PREFIX'),
    nodeId: pick('BEACON_NODE_ID'),
    tickMs: pick('BEACON_TICK_MS') as unknown as number,
    pedestrianMergeRadiusM: pick('BEACON_PEDESTRIAN_MERGE_RADIUS_M') as unknown as number,
    pedestrianMergeWindowMs: pick('BEACON_PEDESTRIAN_MERGE_WINDOW_MS') as unknown as number,
    pedestrianSectionM: pick('BEACON_PEDESTRIAN_SECTION_M') as unknown as number,
    alarmQuietMs: pick('BEACON_ALARM_QUIET_MS') as unknown as number,
    sweepMs: pick('BEACON_SWEEP_MS') as unknown as number,
    dedupeTtlS: pick('BEACON_DEDUPE_TTL_S') as unknown as number,
    streamMaxLen: pick('BEACON_STREAM_MAXLEN') as unknown as number,
    streamMaxAgeMs: pick('BEACON_STREAM_MAX_AGE_MS') as unknown as number,
    maxFutureSkewMs: pick('BEACON_MAX_FUTURE_SKEW_MS') as unknown as number,
    deviceRatePerS: pick('BEACON_DEVICE_RATE_PER_S') as unknown as number,
    deviceBurst: pick('BEACON_DEVICE_BURST') as unknown as number,
    opsCommandRatePerS: pick('BEACON_OPS_RATE_PER_S') as unknown as number,
    opsCommandBurst: pick('BEACON_OPS_BURST') as unknown as number,
    maxConnectionsPerIp: pick('BEACON_MAX_CONNECTIONS_PER_IP') as unknown as number,
    metricsToken: pick('BEACON_METRICS_TOKEN') ?? null,
    pipelineClaimIdleMs: pick('BEACON_PIPELINE_CLAIM_IDLE_MS') as unknown as number,
    pipelineBlockMs: pick('BEACON_PIPELINE_BLOCK_MS') as unknown as number,
    healthQuietAfterMs: pick('BEACON_HEALTH_QUIET_MS') as unknown as number,
    lostSignalAfterMs: pick('BEACON_LOST_SIGNAL_MS') as unknown as number,
    stuckAfterMs: pick('BEACON_STUCK_AFTER_MS') as unknown as number,
    implausibleSpeedKmh: pick('BEACON_IMPLAUSIBLE_SPEED_KMH') as unknown as number,
    jumpFlagMs: pick('BEACON_JUMP_FLAG_MS') as unknown as number,
    healthPushMs: pick('BEACON_HEALTH_PUSH_MS') as unknown as number,
    rainInterpretation: pick('BEACON_RAIN_INTERPRETATION') as Config['rainInterpretation'] | undefined,
    alertSegmentKm: pick('BEACON_ALERT_SEGMENT_KM') as unknown as number,
    clientDist: pick('BEACON_CLIENT_DIST'),
    regionDir: pick('BEACON_REGION_DIR'),
    logLevel: pick('LOG_LEVEL') as Config['logLevel'] | undefined,
    slaPolicy: parseSlaPolicy(pick('BEACON_SLA_POLICY')),
    demoNotice: pick('BEACON_DEMO_NOTICE'),
    drillId: pick('BEACON_DRILL_ID') ?? null,
    sessionTtlS: pick('BEACON_SESSION_TTL_S') as unknown as number,
    catchupMaxEvents: pick('BEACON_CATCHUP_MAX_EVENTS') as unknown as number,
    tileOrigins: pick('BEACON_TILE_ORIGINS'),
  });
}
