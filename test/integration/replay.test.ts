import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActiveWeatherAlert, Ack, Incident } from '@beacon/shared';
import { pointAtStake } from '@beacon/server';
import { parseRecordArgs, runRecord, RecordUsageError } from '../../scripts/record/record.ts';
import { RecordingHeader, RecordedEvent, replayEventId } from '../../scripts/record/recording.ts';
import { parseReplayArgs, runReplay, ReplayUsageError } from '../../scripts/record/replay.ts';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T22:00:00+08:00');

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** What must survive a record and replay: the incidents without ids, server times or drill stamps. */
function incidentSet(incidents: Incident[]) {
  return incidents
    .map((i) => ({
      type: i.type,
      stake: i.stake,
      priority: i.priority,
      priorityReason: i.priorityReason,
      detections: i.detections,
      cameraId: i.cameraId,
      confidence: i.confidence,
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function warningSet(alerts: ActiveWeatherAlert[]) {
  return alerts.map((a) => ({
    stationId: a.stationId,
    stages: a.stages.map((s) => `${s.hazard} ${s.level}`),
    closed: a.measure?.closed ?? null,
    segment: a.segment,
  }));
}

function readLines(file: string): string[] {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
}

describe('pnpm beacon record / replay', () => {
  let live: TestStack | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-replay-'));
  afterEach(async () => {
    await live?.stop();
    live = undefined;
  });

  it('records a live session and replays it into a drill: the same incidents and warnings', async () => {
    const clock = manualClock(T0);
    live = await startTestStack({ clock });
    const recordFrom = Date.now() - 1_000;
    const { graph } = live.app.roads;
    const at = (ref: string, m: number, direction: 'up' | 'down' = 'up') => {
      const [lon, lat] = pointAtStake(graph, { ref, m, direction })!;
      return { lon, lat };
    };
    const fleet = await live.ingestSocket('fleet-gw', 'patrol');
    const camA = await live.ingestSocket('cam-a', 'camera');
    const camB = await live.ingestSocket('cam-b', 'camera');
    const stations = await live.ingestSocket('ws-gw', 'weather');
    let n = 0;
    const gps = async () => {
      n += 1;
      data(
        await fleet.emitWithAck('ingest:batch', [
          { kind: 'gps', eventId: `g${n}a`, ts: clock.now(), unitId: 'P-01', ...at('SX1', 10_000 + n * 500) },
          { kind: 'gps', eventId: `g${n}b`, ts: clock.now(), unitId: 'P-02', ...at('SX2', 30_000 + n * 500, 'down') },
        ]),
      );
    };
    const reading = async (stationId: string, visibilityM: number) => {
      n += 1;
      data(
        await stations.emitWithAck('weather:observed', { eventId: `w${n}`, ts: clock.now(), stationId, visibilityM }),
      );
    };

    // Thick fog at WS-02 (SX1 K42+519): two readings below 50 m raise a red warning that closes the section.
    await gps();
    await reading('WS-02', 40);
    await reading('WS-05', 8_000);
    clock.advance(60_000);
    await gps();
    await reading('WS-02', 35);
    await live.settled();
    clock.advance(60_000);
    // A person on SX1 inside the fog, seen by two cameras: one incident, raised to P1 for the red fog.
    data(
      await camA.emitWithAck('pedestrian:detected', {
        eventId: 'd1',
        ts: clock.now(),
        ...at('SX1', 43_000),
        direction: 'up',
        confidence: 0.92,
        cameraId: 'CAM-A',
      }),
    );
    await live.settled();
    clock.advance(30_000);
    data(
      await camB.emitWithAck('pedestrian:detected', {
        eventId: 'd2',
        ts: clock.now(),
        ...at('SX1', 43_300),
        direction: 'up',
        confidence: 0.88,
        cameraId: 'CAM-B',
      }),
    );
    await gps();
    clock.advance(60_000);
    // Another person far away on SX2: a second incident, ordinary priority.
    data(
      await camB.emitWithAck('pedestrian:detected', {
        eventId: 'd3',
        ts: clock.now(),
        ...at('SX2', 20_000, 'down'),
        direction: 'down',
        confidence: 0.7,
        cameraId: 'CAM-B',
      }),
    );
    await reading('WS-02', 30);
    await gps();
    await live.settled();

    const wall = await live.opsSocket();
    const before = data(await wall.emitWithAck('situation:snapshot', {}));
    expect(incidentSet(before.incidents)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'pedestrian', priority: 'P1', priorityReason: 'red_fog', detections: 2 }),
        expect.objectContaining({ type: 'pedestrian', priority: 'P2', detections: 1 }),
        expect.objectContaining({ type: 'severe_weather' }),
      ]),
    );
    expect(warningSet(before.weatherAlerts)).toEqual([
      expect.objectContaining({ stationId: 'WS-02', stages: ['fog red'], closed: true }),
    ]);

    // Record the session from the ingest stream.
    const out = path.join(dir, 'session.jsonl.gz');
    const printed: string[] = [];
    const recorded = await runRecord(
      parseRecordArgs([
        '--from',
        new Date(recordFrom).toISOString(),
        '--to',
        new Date(Date.now() + 1_000).toISOString(),
        '--out',
        out,
      ]),
      { redisUrl: live.redisServer.url, keyPrefix: 'beacon', region: 'bijie', print: (l) => printed.push(l) },
    );
    const lines = readLines(out);
    const header = RecordingHeader.parse(JSON.parse(lines[0]!));
    // 4 GPS batches of 2, 4 readings, 3 detections.
    expect(header).toMatchObject({ region: 'bijie', prefix: 'beacon', count: 15, skipped: 0 });
    expect(recorded.header).toEqual(header);
    expect(lines).toHaveLength(16);
    const events = lines.slice(1).map((l) => RecordedEvent.parse(JSON.parse(l)));
    expect(events.map((e) => e.device)).toContain('cam-a');
    expect(events.filter((e) => e.kind === 'pedestrian').map((e) => e.payload.eventId)).toEqual(['d1', 'd2', 'd3']);
    expect(events[0]!.receivedAt).toBe(T0);
    expect(printed.join('\n')).toMatch(/recorded 15 events from beacon:ingest/);

    // A damaged copy: one line fails the schema, one is not JSON. They are reported, and the rest replays.
    const damaged = path.join(dir, 'damaged.jsonl.gz');
    const bad = JSON.parse(lines[1]!) as { payload: { lon: number } };
    bad.payload.lon = 500;
    fs.writeFileSync(
      damaged,
      zlib.gzipSync([...lines.slice(0, 4), JSON.stringify(bad), '{"kind": gps', ...lines.slice(4)].join('\n') + '\n'),
    );

    const stderr = new PassThrough();
    let progress = '';
    stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
    const replayPrinted: string[] = [];
    const summary = await runReplay(parseReplayArgs([damaged, '--speed', '1000', '--id', 'D-replay-1']), {
      redisUrl: live.redisServer.url,
      keyPrefix: 'beacon',
      stderr,
      print: (l) => replayPrinted.push(l),
      stepMs: 10,
    });

    expect(summary.lines).toEqual({ events: 15, bad: 2 });
    expect(summary.badLines).toEqual([
      { line: 5, message: expect.stringMatching(/^payload\.lon: /) },
      { line: 6, message: 'not JSON' },
    ]);
    expect(progress).toMatch(/damaged\.jsonl\.gz:5: payload\.lon: /);
    expect(progress).toMatch(/damaged\.jsonl\.gz:6: not JSON/);
    expect(progress).toMatch(/the header announces 15 events, the file has 17 lines/);
    expect(progress).toMatch(/100%\s+sim 22:03:30 \+08\s+events 15\s+acks 15\s+errors 2/);
    expect(summary).toMatchObject({ drillId: 'D-replay-1', accepted: 15, duplicates: 0, errors: 0 });
    expect(replayPrinted.join('\n')).toMatch(/drill wall 演练大屏 +http:\/\/localhost:\d+\//);

    // The drill made the same of it as the live server did.
    expect(incidentSet(summary.incidents)).toEqual(incidentSet(before.incidents));
    expect(summary.incidents.every((i) => i.drillId === 'D-replay-1')).toBe(true);
    expect(warningSet(summary.weatherAlerts)).toEqual(warningSet(before.weatherAlerts));

    // Through the public protocol, under derived event ids, in the drill's own key space only.
    const drillIngest = await live.redis.xrange('beacon:drill:D-replay-1:ingest', '-', '+');
    expect(drillIngest).toHaveLength(15);
    expect(drillIngest.map(([, f]) => JSON.parse(f[f.indexOf('payload') + 1]!).eventId as string)).toContain(
      'D-replay-1:cam-a:d1',
    );
    const after = data(await wall.emitWithAck('situation:snapshot', {}));
    expect(incidentSet(after.incidents)).toEqual(incidentSet(before.incidents));
    expect(await live.redis.xlen('beacon:ingest')).toBe(15);

    // A drill id is used once.
    await expect(
      runReplay(parseReplayArgs([out, '--speed', '1000', '--id', 'D-replay-1']), {
        redisUrl: live.redisServer.url,
        keyPrefix: 'beacon',
        stderr,
        print: () => undefined,
      }),
    ).rejects.toThrow(/used already/);
  }, 60_000);

  it('leaves out stream entries that do not validate, and counts them in the header', async () => {
    live = await startTestStack();
    const from = Date.now() - 1_000;
    const gw = await live.ingestSocket('fleet-gw', 'patrol');
    data(
      await gw.emitWithAck('gps:reported', {
        eventId: 'g1',
        ts: live.clock.now(),
        unitId: 'P-01',
        lon: 105.3,
        lat: 27.3,
      }),
    );
    // A damaged entry, as a faulty disk or a foreign writer would leave it.
    await live.redis.xadd('beacon:ingest', '*', 'kind', 'gps', 'device', 'x', 'receivedAt', '1', 'payload', '{');
    const out = path.join(dir, 'skipped.jsonl.gz');
    const printed: string[] = [];
    const result = await runRecord(
      parseRecordArgs([
        `--from=${new Date(from).toISOString()}`,
        `--to=${new Date(Date.now() + 1_000).toISOString()}`,
        `--out=${out}`,
      ]),
      {
        redisUrl: live.redisServer.url,
        keyPrefix: 'beacon',
        region: 'bijie',
        print: (l) => printed.push(l),
        pageSize: 1,
      },
    );
    expect(result.header).toMatchObject({ count: 1, skipped: 1 });
    expect(result.skipped).toEqual([{ id: expect.stringMatching(/^\d+-\d+$/), message: 'payload: not JSON' }]);
    expect(readLines(out)).toHaveLength(2);
    expect(printed.join('\n')).toMatch(/left out 1 entries/);
  });

  it('refuses bad arguments and bad recordings with a clear message', async () => {
    expect(() =>
      parseRecordArgs(['--from', 'yesterday', '--to', '2026-11-25T22:00:00+08:00', '--out', 'x.jsonl.gz']),
    ).toThrow(/from: an ISO-8601 time/);
    expect(() =>
      parseRecordArgs([
        '--from',
        '2026-11-25T22:00:00+08:00',
        '--to',
        '2026-11-25T21:00:00+08:00',
        '--out',
        'x.jsonl.gz',
      ]),
    ).toThrow(/--to must be later/);
    expect(() =>
      parseRecordArgs(['--from', '2026-11-25T22:00:00+08:00', '--to', '2026-11-25T23:00:00+08:00', '--out', 'x.json']),
    ).toThrow(RecordUsageError);
    expect(() => parseReplayArgs([])).toThrow(ReplayUsageError);
    expect(() => parseReplayArgs(['x.jsonl.gz', '--speed', '0'])).toThrow(/speed/);

    const noHeader = path.join(dir, 'no-header.jsonl.gz');
    fs.writeFileSync(noHeader, zlib.gzipSync('{"format":"something-else"}\n'));
    const env = {
      redisUrl: 'redis://127.0.0.1:1',
      keyPrefix: 'beacon',
      stderr: new PassThrough(),
      print: () => undefined,
    };
    await expect(runReplay(parseReplayArgs([noHeader]), env)).rejects.toThrow(
      /no-header\.jsonl\.gz:1: not a recording header: format/,
    );
    const plain = path.join(dir, 'plain.jsonl.gz');
    fs.writeFileSync(plain, 'not gzip at all\n');
    await expect(runReplay(parseReplayArgs([plain]), env)).rejects.toThrow(/not a gzip recording/);
  });

  it('derives replay event ids from the drill, the device and the original id, within the length limit', () => {
    expect(replayEventId('D-1', 'cam-a', 'd1')).toBe('D-1:cam-a:d1');
    const long = replayEventId('D-1', 'cam-a', 'x'.repeat(128));
    expect(long).toMatch(/^D-1:[0-9a-f]{40}$/);
    expect(replayEventId('D-1', 'cam-a', 'x'.repeat(128))).toBe(long);
    expect(replayEventId('D-1', 'cam-b', 'x'.repeat(128))).not.toBe(long);
  });
});
