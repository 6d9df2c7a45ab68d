import { beforeAll, describe, expect, it } from 'vitest';
import { GpsReported, bearingDeg, haversineM, type GpsReportedInput } from '@beacon/shared';
import { createPatrols } from './patrols.ts';
import { mulberry32 } from './random.ts';
import { createPolyline, loadCorridors, type Corridor } from './route.ts';
import { BIJIE_ROADS, manualClock } from './test-support.ts';

let corridors: Corridor[];
beforeAll(async () => {
  corridors = await loadCorridors(BIJIE_ROADS);
});

function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

const at = (fix: GpsReportedInput): [number, number] => [fix.lon, fix.lat];

describe('patrols', () => {
  it('creates BJ-01…BJ-12 spread over the corridors, reporting schema-valid fixes', () => {
    const clock = manualClock();
    const patrols = createPatrols({ corridors, clock, random: mulberry32(1) });
    expect(patrols.units.map((u) => u.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `BJ-${String(i + 1).padStart(2, '0')}`),
    );
    expect(new Set(patrols.units.map((u) => u.corridor.ref)).size).toBe(corridors.length);
    const fixes = patrols.tick();
    expect(fixes).toHaveLength(12);
    for (const fix of fixes) {
      const parsed = GpsReported.parse(fix);
      expect(parsed.ts).toBe(clock.now());
      expect(parsed.speedKmh).toBeGreaterThanOrEqual(60);
      expect(parsed.speedKmh).toBeLessThanOrEqual(100);
      expect(parsed.headingDeg).toBeGreaterThanOrEqual(0);
      expect(parsed.headingDeg).toBeLessThan(360);
    }
    expect(new Set(fixes.map((f) => f.eventId)).size).toBe(12);
  });

  it('is deterministic for a seed and a clock', () => {
    const run = (seed: number) => {
      const clock = manualClock();
      const patrols = createPatrols({ corridors, clock, random: mulberry32(seed) });
      const out = [patrols.tick()];
      for (let i = 0; i < 5; i += 1) {
        clock.advance(1000);
        out.push(patrols.tick());
      }
      return out;
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('moves each unit at its speed along the corridor, heading where it goes, with metres of GPS noise', () => {
    const clock = manualClock();
    const patrols = createPatrols({ corridors, clock, random: mulberry32(7), gpsNoiseM: 0 });
    const before = patrols.tick();
    clock.advance(2000);
    const after = patrols.tick();
    for (const [i, fix] of after.entries()) {
      const moved = haversineM(at(before[i]!), at(fix));
      // 60–100 km/h for 2 s is 33–56 m (a chord, slightly shorter on a bend).
      expect(moved).toBeGreaterThan(30);
      expect(moved).toBeLessThan(56);
      expect(angleBetween(bearingDeg(at(before[i]!), at(fix)), fix.headingDeg!)).toBeLessThan(15);
    }

    const noisy = createPatrols({ corridors, clock, random: mulberry32(7), gpsNoiseM: 3 }).tick();
    const clean = createPatrols({ corridors, clock, random: mulberry32(7), gpsNoiseM: 0 }).tick();
    for (const [i, fix] of noisy.entries()) {
      expect(haversineM(at(fix), at(clean[i]!))).toBeLessThan(25);
    }
  });

  it('turns round at the end of its corridor and stays on it', () => {
    const line = createPolyline([
      [105, 27],
      [105.01, 27],
    ]);
    const short: Corridor = { ...line, ref: 'T1', name: 'test' };
    const clock = manualClock();
    const patrols = createPatrols({
      corridors: [short],
      clock,
      random: mulberry32(3),
      count: 1,
      minSpeedKmh: 72,
      maxSpeedKmh: 72,
      gpsNoiseM: 0,
    });
    const unit = patrols.units[0]!;
    expect(unit.id).toBe('BJ-01');
    patrols.tick();
    const headings = new Set<number>();
    for (let i = 0; i < 120; i += 1) {
      clock.advance(1000);
      const [fix] = patrols.tick();
      expect(fix!.lon).toBeGreaterThanOrEqual(105 - 1e-9);
      expect(fix!.lon).toBeLessThanOrEqual(105.01 + 1e-9);
      headings.add(Math.round(fix!.headingDeg!));
    }
    // 20 m/s for 120 s is 2.4 km on a 1 km road: it has driven both ways.
    expect([...headings].sort()).toEqual([270, 90]);
  });

  it('applies the speed-up factor to motion', () => {
    const measureAfter = (speed: number) => {
      const clock = manualClock();
      const patrols = createPatrols({ corridors, clock, random: mulberry32(5), gpsNoiseM: 0, speed });
      const a = patrols.tick()[0]!;
      clock.advance(1000);
      return haversineM(at(a), at(patrols.tick()[0]!));
    };
    const ratio = measureAfter(10) / measureAfter(1);
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThan(11);
  });

  it('rejects nonsense options', () => {
    const clock = manualClock();
    expect(() => createPatrols({ corridors: [], clock, random: mulberry32(1) })).toThrow(/at least one corridor/);
    expect(() => createPatrols({ corridors, clock, random: mulberry32(1), count: 0 })).toThrow(/count/);
    expect(() => createPatrols({ corridors, clock, random: mulberry32(1), minSpeedKmh: 90, maxSpeedKmh: 80 })).toThrow(
      /speeds/,
    );
  });
});

describe('patrols on a job', () => {
  it('drive a given route along its geometry, stop at its end, and go back to patrolling the nearest corridor', () => {
    const clock = manualClock();
    const patrols = createPatrols({ corridors, clock, random: mulberry32(3), count: 2, gpsNoiseM: 0 });
    patrols.tick();
    const unit = patrols.units[0]!;
    const start = patrols.positionOf(unit.id)!;
    // A route that turns a corner: 2 km east, then 2 km north.
    const corner: [number, number] = [start.lon + 0.02, start.lat];
    const end: [number, number] = [start.lon + 0.02, start.lat + 0.018];
    patrols.park(unit.id);
    patrols.driveRoute(unit.id, [[start.lon, start.lat], corner, end], 72);
    const route = createPolyline([[start.lon, start.lat], corner, end]);
    for (let i = 0; i < 300 && !patrols.arrived(unit.id); i += 1) {
      clock.advance(1000);
      for (const fix of patrols.tick().filter((f) => f.unitId === unit.id)) {
        const onFirstLeg = Math.abs(fix.lat - start.lat) < 1e-6;
        const onSecondLeg = Math.abs(fix.lon - corner[0]) < 1e-6;
        expect(onFirstLeg || onSecondLeg).toBe(true);
      }
    }
    expect(patrols.arrived(unit.id)).toBe(true);
    expect(haversineM([patrols.positionOf(unit.id)!.lon, patrols.positionOf(unit.id)!.lat], end)).toBeLessThan(1);
    // About 4 km at about 72 km/h: about 200 s.
    expect(route.lengthM).toBeGreaterThan(3900);

    patrols.resumePatrol(unit.id);
    expect(unit.motion.kind).toBe('patrol');
    clock.advance(1000);
    const fix = patrols.tick().find((f) => f.unitId === unit.id)!;
    expect(fix.speedKmh).toBeGreaterThanOrEqual(60);
  });

  it('send fixes at the configured rate and fall silent during dropouts', () => {
    const clock = manualClock();
    const patrols = createPatrols({ corridors, clock, random: mulberry32(5), count: 4, gpsEveryMs: 5000 });
    let fixes = 0;
    for (let i = 0; i < 60; i += 1) {
      fixes += patrols.tick().length;
      clock.advance(1000);
    }
    expect(fixes).toBe(4 * 12);

    const dropping = createPatrols({ corridors, clock, random: mulberry32(5), count: 4, dropoutChance: 0.05 });
    let sent = 0;
    for (let i = 0; i < 600; i += 1) {
      sent += dropping.tick().length;
      clock.advance(1000);
    }
    expect(sent).toBeLessThan(4 * 600 * 0.9);
    expect(sent).toBeGreaterThan(4 * 600 * 0.2);
  });
});
