import { beforeAll, describe, expect, it } from 'vitest';
import { WeatherObserved, haversineM, type WeatherObservedInput } from '@beacon/shared';
import { mulberry32 } from './random.ts';
import { loadCorridors, pointAt, type Corridor } from './route.ts';
import { BIJIE_ROADS, manualClock } from './test-support.ts';
import { createWeather } from './weather.ts';

let corridors: Corridor[];
beforeAll(async () => {
  corridors = await loadCorridors(BIJIE_ROADS);
});

describe('weather stations', () => {
  it('places WS-01…WS-14 on the corridors, evenly spread', () => {
    const weather = createWeather({ corridors, clock: manualClock(), random: mulberry32(1) });
    expect(weather.stations.map((s) => s.id)).toEqual(
      Array.from({ length: 14 }, (_, i) => `WS-${String(i + 1).padStart(2, '0')}`),
    );
    expect(new Set(weather.stations.map((s) => s.corridorRef)).size).toBe(corridors.length);
    for (const station of weather.stations) {
      const corridor = corridors.find((c) => c.ref === station.corridorRef)!;
      // On the line: some vertex-interpolated point is within metres of the station.
      let nearest = Infinity;
      for (let d = 0; d <= corridor.lengthM; d += 50) {
        const p = pointAt(corridor, d);
        nearest = Math.min(nearest, haversineM([p.lon, p.lat], [station.lon, station.lat]));
      }
      expect(nearest).toBeLessThan(30);
    }
    for (let i = 1; i < weather.stations.length; i += 1) {
      const a = weather.stations[i - 1]!;
      const b = weather.stations[i]!;
      expect(haversineM([a.lon, a.lat], [b.lon, b.lat])).toBeGreaterThan(5_000);
    }
  });

  it('reports every station at once, then every 60 s of clock time, with schema-valid payloads', () => {
    const clock = manualClock();
    const weather = createWeather({ corridors, clock, random: mulberry32(2) });
    const first = weather.tick();
    expect(first).toHaveLength(14);
    expect(weather.tick()).toEqual([]);
    clock.advance(59_000);
    expect(weather.tick()).toEqual([]);
    clock.advance(1_000);
    expect(weather.tick()).toHaveLength(14);
    for (const observation of first) {
      const parsed = WeatherObserved.parse(observation);
      expect(parsed.ts).toBe(clock.now() - 60_000);
      expect(parsed.visibilityM).toBeGreaterThan(0);
      expect(['dry', 'wet', 'snow', 'ice']).toContain(parsed.roadSurfaceState);
    }
    expect(new Set(first.map((o) => o.eventId)).size).toBe(14);
  });

  it('follows a plausible day: colder before dawn than mid-afternoon, foggier in the morning', () => {
    const start = Date.parse('2026-11-25T00:00:00+08:00');
    const clock = manualClock(start);
    const weather = createWeather({ corridors, clock, random: mulberry32(3) });
    const byHour = new Map<number, WeatherObservedInput[]>();
    for (let minute = 0; minute < 24 * 60; minute += 1) {
      const hour = Math.floor(minute / 60);
      const observations = weather.tick();
      for (const o of observations) expect(WeatherObserved.safeParse(o).success).toBe(true);
      byHour.set(hour, [...(byHour.get(hour) ?? []), ...observations]);
      clock.advance(60_000);
    }
    const mean = (hour: number, pick: (o: WeatherObservedInput) => number) => {
      const list = byHour.get(hour)!;
      return list.reduce((sum, o) => sum + pick(o), 0) / list.length;
    };
    expect(mean(15, (o) => o.airTempC!)).toBeGreaterThan(mean(4, (o) => o.airTempC!) + 5);
    expect(mean(13, (o) => o.roadSurfaceTempC!)).toBeGreaterThan(mean(13, (o) => o.airTempC!));
    expect(mean(6, (o) => o.visibilityM!)).toBeLessThan(mean(15, (o) => o.visibilityM!));
    // Late November on the plateau: cool, not arctic or tropical.
    expect(mean(15, (o) => o.airTempC!)).toBeLessThan(20);
    expect(mean(4, (o) => o.airTempC!)).toBeGreaterThan(-5);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const clock = manualClock();
      const weather = createWeather({ corridors, clock, random: mulberry32(4) });
      const a = weather.tick();
      clock.advance(60_000);
      return [...a, ...weather.tick()];
    };
    expect(run()).toEqual(run());
  });
});
