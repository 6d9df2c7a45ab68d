import { beforeAll, describe, expect, it } from 'vitest';
import { PedestrianDetected, haversineM, type PedestrianDetectedInput } from '@beacon/shared';
import { createCameras } from './cameras.ts';
import { mulberry32 } from './random.ts';
import { loadCorridors, type Corridor } from './route.ts';
import { BIJIE_ROADS, manualClock } from './test-support.ts';

let corridors: Corridor[];
beforeAll(async () => {
  corridors = await loadCorridors(BIJIE_ROADS);
});

/** Tick once a second for `seconds`, collecting every detection. */
function runFor(cameras: ReturnType<typeof createCameras>, clock: ReturnType<typeof manualClock>, seconds: number) {
  const out: PedestrianDetectedInput[] = [];
  for (let s = 0; s < seconds; s += 1) {
    out.push(...cameras.tick());
    clock.advance(1000);
  }
  return out;
}

describe('cameras', () => {
  it('starts the first walk-on within 5 s and reports it from 1–3 cameras a few seconds apart', () => {
    const clock = manualClock();
    const t0 = clock.now();
    const cameras = createCameras({ corridors, clock, random: mulberry32(11) });
    expect(runFor(cameras, clock, 5)).toEqual([]);
    const detections = runFor(cameras, clock, 30);
    expect(cameras.walkOns).toHaveLength(1);
    const walkOn = cameras.walkOns[0]!;
    expect(walkOn.startedAt).toBe(t0 + 5000);
    expect(detections.length).toBeGreaterThanOrEqual(1);
    expect(detections.length).toBeLessThanOrEqual(3);

    const parsed = detections.map((d) => PedestrianDetected.parse(d));
    expect(parsed[0]!.ts).toBe(t0 + 5000);
    for (const [i, d] of parsed.entries()) {
      expect(d.cameraId).toMatch(/^CAM-SX[1-4]-\d{2,}$/);
      expect(d.cameraId).toBe(walkOn.cameraIds[i]);
      expect(d.direction).toBe(walkOn.direction);
      expect(d.confidence).toBeGreaterThanOrEqual(0.75);
      expect(d.confidence).toBeLessThanOrEqual(0.98);
      // Every sighting is of the same person: well inside the server's 300 m merge radius.
      expect(haversineM([d.lon, d.lat], [walkOn.lon, walkOn.lat])).toBeLessThan(60);
      if (i > 0) {
        const gap = d.ts - parsed[i - 1]!.ts;
        expect(gap).toBeGreaterThanOrEqual(2000);
        expect(gap).toBeLessThanOrEqual(6000);
      }
    }
    expect(new Set(parsed.map((d) => d.cameraId)).size).toBe(parsed.length);
    expect(new Set(parsed.map((d) => d.eventId)).size).toBe(parsed.length);
  });

  it('then walks on every 2–4 minutes, one to three cameras each', () => {
    const clock = manualClock();
    const cameras = createCameras({ corridors, clock, random: mulberry32(99) });
    const detections = runFor(cameras, clock, 3 * 3600);
    const starts = cameras.walkOns.map((w) => w.startedAt);
    expect(starts.length).toBeGreaterThanOrEqual(45);
    expect(starts.length).toBeLessThanOrEqual(90);
    for (let i = 1; i < starts.length; i += 1) {
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(120_000);
      expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(241_000);
    }
    expect(new Set(cameras.walkOns.map((w) => w.cameraIds.length))).toEqual(new Set([1, 2, 3]));
    expect(new Set(cameras.walkOns.map((w) => w.corridorRef)).size).toBe(corridors.length);
    for (const d of detections) expect(PedestrianDetected.safeParse(d).success).toBe(true);
  });

  it('is deterministic for a seed and takes its cadence from options', () => {
    const run = () => {
      const clock = manualClock();
      const cameras = createCameras({
        corridors,
        clock,
        random: mulberry32(5),
        firstWalkOnAfterMs: 0,
        walkOnEveryMs: [10_000, 10_000],
      });
      return runFor(cameras, clock, 35);
    };
    const a = run();
    expect(a).toEqual(run());
    expect(new Set(a.map((d) => d.cameraId!.split('-')[1])).size).toBeGreaterThanOrEqual(1);
    expect(a[0]!.ts).toBe(manualClock().now());
  });

  it('starts one walk-on, not a backlog, after the clock jumps', () => {
    const clock = manualClock();
    const cameras = createCameras({ corridors, clock, random: mulberry32(8) });
    cameras.tick();
    clock.advance(6 * 3600_000);
    cameras.tick();
    expect(cameras.walkOns).toHaveLength(1);
    expect(cameras.nextWalkOnAt()).toBeGreaterThanOrEqual(clock.now() + 120_000);
  });

  it('rejects nonsense options', () => {
    const clock = manualClock();
    expect(() => createCameras({ corridors, clock, random: mulberry32(1), camerasPerWalkOn: [3, 1] })).toThrow(
      /camerasPerWalkOn/,
    );
    expect(() => createCameras({ corridors, clock, random: mulberry32(1), confidence: [0.5, 1.5] })).toThrow(
      /confidence/,
    );
  });
});
