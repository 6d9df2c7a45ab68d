import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_NAMESPACE, type Ack, type IngestResult } from '@beacon/shared';
import { groupCaughtUp } from '@beacon/server';
import { freePort } from '../../scripts/lib/ports.ts';
import { addDevice, healthz, killed, spawnRedis, spawnServer, until } from './processes.ts';

/**
 * A device that resends every report until it is acknowledged (as the protocol asks: UNAVAILABLE and
 * timeouts mean "resend"; de-duplication by eventId makes that safe). `senders` reports are in flight at once.
 */
function reliableDevice(socket: Socket, event: string, payloadOf: (seq: number) => Record<string, unknown>) {
  const acked = new Map<string, number>();
  const answers = new Map<string, number>();
  let seq = 0;
  let stopping = false;
  async function sendUntilAcked(payload: Record<string, unknown>): Promise<void> {
    for (;;) {
      const answer = (await socket
        .timeout(3000)
        .emitWithAck(event, payload)
        .catch(() => null)) as Ack<IngestResult> | null;
      const code = answer === null ? 'TIMEOUT' : answer.ok ? 'OK' : answer.error.code;
      answers.set(code, (answers.get(code) ?? 0) + 1);
      if (answer?.ok) {
        acked.set(payload.eventId as string, payload.ts as number);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const loops = Array.from({ length: 4 }, async () => {
    while (!stopping) {
      seq += 1;
      await sendUntilAcked(payloadOf(seq));
    }
  });
  return {
    acked,
    answers,
    /** Stop sending new reports; resolves when every report in flight has been acknowledged. */
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

describe('Redis killed and restarted mid-ingest', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-outage-'));
  let redisPort: number;
  let redisUrl: string;
  let redisProcess: ChildProcess;
  let server: ReturnType<typeof spawnServer>;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redisPort = await freePort();
    redisUrl = `redis://127.0.0.1:${redisPort}`;
    redisProcess = await spawnRedis(redisPort, dir);
    port = await freePort();
    server = spawnServer({ REDIS_URL: redisUrl, PORT: String(port), BEACON_PIPELINE_BLOCK_MS: '200' });
    await until(async () => (await healthz(port)) === 'up', 'the server to start');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    if (server) await killed(server.child);
    if (redisProcess) await killed(redisProcess);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stays up, says so on /healthz, answers UNAVAILABLE meanwhile, then resumes: nothing acked lost, nothing stored twice', async () => {
    const cameraKey = await addDevice(redisUrl, 'outage-cam', 'camera');
    const carKey = await addDevice(redisUrl, 'outage-fleet', 'patrol');
    const open = (deviceId: string, key: string) => {
      const socket = connect(`http://127.0.0.1:${port}${INGEST_NAMESPACE}`, {
        auth: { deviceId, key },
        transports: ['websocket'],
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
      });
      sockets.push(socket);
      return socket;
    };
    const t0 = Date.now() - 60_000;
    const camera = reliableDevice(open('outage-cam', cameraKey), 'pedestrian:detected', (seq) => ({
      eventId: `d${seq}`,
      ts: t0 + seq,
      lon: 105.29,
      lat: 27.3,
      confidence: 0.9,
    }));
    const fleet = reliableDevice(open('outage-fleet', carKey), 'gps:reported', (seq) => ({
      eventId: `g${seq}`,
      ts: t0 + seq,
      unitId: `OUT-${seq % 5}`,
      lon: 105.2 + seq * 1e-6,
      lat: 27.3,
    }));
    const ackedTotal = () => camera.acked.size + fleet.acked.size;
    await until(() => ackedTotal() >= 300, '300 acknowledged reports');

    const health: string[] = ['up'];
    await killed(redisProcess);
    const ackedAtKill = ackedTotal();
    await until(async () => (await healthz(port)) === 'down', '/healthz to say redis: down');
    health.push('down');
    await until(
      () => (camera.answers.get('UNAVAILABLE') ?? 0) + (fleet.answers.get('UNAVAILABLE') ?? 0) >= 10,
      'devices to be told UNAVAILABLE',
    );
    // Nothing is acknowledged while Redis is away.
    expect(ackedTotal()).toBeLessThanOrEqual(ackedAtKill + 8);

    redisProcess = await spawnRedis(redisPort, dir);
    await until(async () => (await healthz(port)) === 'up', '/healthz to say redis: up again');
    health.push('up');
    await until(() => ackedTotal() >= ackedAtKill + 300, '300 more acknowledged reports after the restart', 30_000);
    await Promise.all([camera.stop(), fleet.stop()]);

    expect(server.child.exitCode, server.output()).toBeNull();
    expect(health).toEqual(['up', 'down', 'up']);

    const redis = new Redis(redisUrl);
    try {
      await until(() => groupCaughtUp(redis, 'beacon:ingest', 'rules'), 'the rules pipeline to catch up', 30_000);
      const entries = (await redis.xrange('beacon:ingest', '-', '+')) as [string, string[]][];
      const stored = new Map<string, number>();
      for (const [, fields] of entries) {
        const payload = JSON.parse(fields[fields.indexOf('payload') + 1]!) as { eventId: string };
        stored.set(payload.eventId, (stored.get(payload.eventId) ?? 0) + 1);
      }
      // Stored exactly once: every acknowledged report, none twice (de-duplication by eventId).
      const acked = [...camera.acked.keys(), ...fleet.acked.keys()];
      expect(acked.filter((id) => stored.get(id) !== 1)).toEqual([]);
      expect([...stored.values()].filter((n) => n !== 1)).toEqual([]);

      // Projected: every unit is where its newest acknowledged fix put it.
      const newest = new Map<string, number>();
      for (const [id, ts] of fleet.acked) {
        const unitId = `OUT-${Number(id.slice(1)) % 5}`;
        newest.set(unitId, Math.max(newest.get(unitId) ?? 0, ts));
      }
      for (const [unitId, ts] of newest) {
        expect(Number(await redis.hget(`beacon:unit:${unitId}`, 'lastFixAt')), unitId).toBeGreaterThanOrEqual(ts);
      }
      // Projected: every stored detection counts in the (one) pedestrian incident of that camera.
      const incidentIds = await redis.zrange('beacon:incidents', 0, -1);
      let detections = 0;
      for (const id of incidentIds) detections += Number(await redis.hget(`beacon:incident:${id}`, 'detections'));
      const storedDetections = [...stored.keys()].filter((id) => id.startsWith('d')).length;
      // Exactly once: an entry the rules worker re-reads after the outage (it had not acknowledged it yet) is
      // not applied again — each part of its projection carries a marker written with the change.
      expect(detections).toBe(storedDetections);
    } finally {
      redis.disconnect();
    }
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^beacon_redis_up 1$/m);
    expect(metrics).toMatch(/^beacon_consumer_group_pending\{stream="ingest",group="rules"\} 0$/m);
  });
});
