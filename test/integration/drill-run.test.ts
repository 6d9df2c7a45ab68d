import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '@beacon/shared';
import type { AfterActionSummary } from '../../scripts/drills/after-action.ts';
import { parseDrillRunArgs, runDrill, DrillUsageError } from '../../scripts/drills/drill-run.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('pnpm beacon drill:run', () => {
  let live: TestStack | undefined;
  afterEach(async () => {
    await live?.stop();
  });

  it('runs bijie-night beside a live server, archives the after-action summary, and leaves live statistics alone', async () => {
    live = await startTestStack();
    const wall = await live.opsSocket();
    const before = data(await wall.emitWithAck('incidents:statistics', { window: '30d' }));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-drill-'));
    const stderr = new PassThrough();
    let progress = '';
    stderr.on('data', (chunk: Buffer) => (progress += chunk.toString()));
    const printed: string[] = [];

    const summary = await runDrill(
      parseDrillRunArgs([path.join(root, 'scenarios/bijie-night.yaml'), '--speed', '1000', '--id', 'D-run-1']),
      {
        redisUrl: live.redisServer.url,
        keyPrefix: 'beacon',
        dataDir,
        stderr,
        print: (line) => printed.push(line),
      },
    );

    expect(printed.join('\n')).toMatch(/drill wall 演练大屏 +http:\/\/localhost:\d+\//);
    expect(progress).toMatch(/100%\s+sim 23:30:00 \+08\s+events \d+\s+acks \d+\s+errors 0/);
    expect(summary).toMatchObject({ drillId: 'D-run-1', speed: 1000, endedEarly: false });
    expect(summary.incidents.byType).toEqual({ pedestrian: 2, severe_weather: 1 });
    expect(summary.incidentList.find((i) => i.priorityReason === 'red_fog')).toMatchObject({ priority: 'P1' });
    expect(summary.missed.map((m) => m.what)).toEqual(
      expect.arrayContaining(['never_dispatched', 'low_confidence_left_open']),
    );

    // Archived in Redis under the live prefix and as a file.
    const archived = JSON.parse((await live.redis.hget('beacon:drills', 'D-run-1'))!) as AfterActionSummary;
    expect(archived).toEqual(summary);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'drills/D-run-1.json'), 'utf8'))).toEqual(summary);

    // The live server saw nothing of it.
    const after = data(await wall.emitWithAck('incidents:statistics', { window: '30d' }));
    expect(after.total).toBe(before.total);
    expect(data(await wall.emitWithAck('situation:snapshot', {})).incidents).toEqual([]);

    // An id is used once.
    await expect(
      runDrill(parseDrillRunArgs([path.join(root, 'scenarios/bijie-night.yaml'), '--id', 'D-run-1']), {
        redisUrl: live.redisServer.url,
        keyPrefix: 'beacon',
        dataDir,
        stderr,
        print: () => undefined,
      }),
    ).rejects.toThrow(/archived already/);
  }, 60_000);

  it('refuses bad flags with a clear message', () => {
    expect(() => parseDrillRunArgs([])).toThrow(DrillUsageError);
    expect(() => parseDrillRunArgs(['x.yaml', '--speed', 'fast'])).toThrow(/speed/);
    expect(() => parseDrillRunArgs(['x.yaml', '--id', 'no spaces'])).toThrow(/id: 1–32 letters/);
    expect(() => parseDrillRunArgs(['x.yaml', '--bogus'])).toThrow(/bogus/);
  });
});
