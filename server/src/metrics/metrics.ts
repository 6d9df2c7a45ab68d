import { INGEST_NAMESPACE, OPS_NAMESPACE } from '@beacon/shared';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { Ingest } from '../ingest/ingest-service.ts';
import type { Keys } from '../redis/keys.ts';
import { readStreamGroups } from '../redis/stream-groups.ts';
import { renderExposition, type MetricFamily } from './exposition.ts';

/** How long a scrape waits for Redis before reporting it down and leaving out the series that need it. */
const REDIS_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The Prometheus metrics of one server node (`GET /metrics`). Counters kept in this process (accepted
 * events, refused connections) count since the node started; series read from Redis (rejects by code,
 * consumer-group lag and pending, open incidents, 督办 flags) are the same on every node. While Redis does
 * not answer, `beacon_redis_up` is 0 and the Redis series are left out, so a scrape never hangs.
 */
export function createMetrics({
  redis,
  keys,
  io,
  ingest,
  incidents,
  connectionsRefused,
}: {
  redis: Redis;
  keys: Keys;
  io: Server;
  ingest: Pick<Ingest, 'totals' | 'rejectionCounts'>;
  incidents: Pick<IncidentStore, 'listOpen'>;
  connectionsRefused: () => number;
}) {
  async function fromRedis(): Promise<MetricFamily[]> {
    const [rejected, groups, streamLength, deadLetters, open] = await Promise.all([
      ingest.rejectionCounts(),
      readStreamGroups(redis, keys.ingestStream),
      redis.xlen(keys.ingestStream),
      redis.xlen(keys.ingestDeadLetter),
      incidents.listOpen(),
    ]);
    const byPriority = new Map<string, number>();
    const flags = new Map<string, number>();
    for (const incident of open) {
      byPriority.set(incident.priority, (byPriority.get(incident.priority) ?? 0) + 1);
      for (const supervision of incident.supervisions)
        flags.set(supervision.kind, (flags.get(supervision.kind) ?? 0) + 1);
    }
    const stream = 'ingest';
    return [
      {
        name: 'beacon_rejected_total',
        help: 'Refused inputs (devices, screens, HTTP) by error code, all nodes (Redis hash stats:rejected).',
        type: 'counter',
        samples: Object.entries(rejected).map(([code, value]) => ({ labels: { code }, value })),
      },
      {
        name: 'beacon_stream_length',
        help: 'Entries in the ingest stream.',
        type: 'gauge',
        samples: [{ labels: { stream }, value: streamLength }],
      },
      {
        name: 'beacon_dead_letters',
        help: 'Ingest entries the rules pipeline parked because they failed on their own (stream ingest:dead).',
        type: 'gauge',
        samples: [{ labels: { stream }, value: deadLetters }],
      },
      {
        name: 'beacon_consumer_group_lag',
        help: 'Ingest entries not yet delivered to the consumer group (XINFO GROUPS lag; -1 when Redis cannot tell).',
        type: 'gauge',
        samples: groups.map((g) => ({ labels: { stream, group: g.name }, value: g.lag ?? -1 })),
      },
      {
        name: 'beacon_consumer_group_pending',
        help: 'Ingest entries delivered to the consumer group but not yet acknowledged (XINFO GROUPS pending).',
        type: 'gauge',
        samples: groups.map((g) => ({ labels: { stream, group: g.name }, value: g.pending })),
      },
      {
        name: 'beacon_incidents_open',
        help: 'Open incidents by priority.',
        type: 'gauge',
        samples: [...byPriority].map(([priority, value]) => ({ labels: { priority }, value })),
      },
      {
        name: 'beacon_supervisions_open',
        help: '督办 (supervision) flags raised on open incidents, by kind (missed SLA timers, daily cycle, manual).',
        type: 'gauge',
        samples: [...flags].map(([kind, value]) => ({ labels: { kind }, value })),
      },
    ];
  }

  return {
    /** The current metrics in the Prometheus text exposition format 0.0.4. */
    async render(): Promise<string> {
      let redisFamilies: MetricFamily[] = [];
      let redisUp = redis.status === 'ready';
      if (redisUp) {
        try {
          redisFamilies = await withTimeout(fromRedis(), REDIS_TIMEOUT_MS);
        } catch {
          redisUp = false;
        }
      }
      const totals = ingest.totals();
      const memory = process.memoryUsage();
      const families: MetricFamily[] = [
        {
          name: 'beacon_redis_up',
          help: 'Whether this node reached Redis for this scrape (1) or not (0).',
          type: 'gauge',
          samples: [{ value: redisUp ? 1 : 0 }],
        },
        {
          name: 'beacon_ingest_accepted_total',
          help: 'Device events this node stored in the ingest stream (acknowledged ok), since it started.',
          type: 'counter',
          samples: [{ value: totals.accepted }],
        },
        {
          name: 'beacon_ingest_duplicates_total',
          help: 'Device events this node acknowledged as duplicates of an eventId already stored, since it started.',
          type: 'counter',
          samples: [{ value: totals.duplicates }],
        },
        {
          name: 'beacon_connected_clients',
          help: 'Socket.IO connections open on this node, by namespace.',
          type: 'gauge',
          samples: [INGEST_NAMESPACE, OPS_NAMESPACE].map((namespace) => ({
            labels: { namespace },
            value: io.of(namespace).sockets.size,
          })),
        },
        {
          name: 'beacon_connections_refused_total',
          help: 'Socket.IO connections this node refused for exceeding the per-address limit, since it started.',
          type: 'counter',
          samples: [{ value: connectionsRefused() }],
        },
        ...redisFamilies,
        {
          name: 'process_resident_memory_bytes',
          help: 'Resident memory size in bytes.',
          type: 'gauge',
          samples: [{ value: memory.rss }],
        },
        {
          name: 'nodejs_heap_used_bytes',
          help: 'V8 heap in use, in bytes.',
          type: 'gauge',
          samples: [{ value: memory.heapUsed }],
        },
        {
          name: 'process_uptime_seconds',
          help: 'Seconds since this process started.',
          type: 'gauge',
          samples: [{ value: Math.round(process.uptime()) }],
        },
      ];
      return renderExposition(families);
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
