import type { Clock, WeatherObservedInput } from '@beacon/shared';
import { createEventIds, type EventIds } from './event-ids.ts';
import { round } from './geo-noise.ts';
import { chance, gaussian, uniform, type Random } from './random.ts';
import { pointAt, spreadOverNetwork, type Corridor } from './route.ts';

export interface WeatherOptions {
  corridors: readonly Corridor[];
  clock: Clock;
  random: Random;
  /** Number of stations; default 14 (`WS-01` … `WS-14`). */
  count?: number;
  /** Station ids are `<prefix>-01` …; default `WS`. */
  idPrefix?: string;
  /** Time between two observations of a station; default 60 s. */
  intervalMs?: number;
  /** Local time zone of the region, minutes east of UTC; default 480 (China Standard Time). */
  utcOffsetMin?: number;
  eventIds?: EventIds;
}

/** A roadside weather station. */
export interface WeatherStation {
  readonly id: string;
  readonly corridorRef: string;
  /** Distance along its corridor, metres (the stake). */
  readonly stakeM: number;
  readonly lon: number;
  readonly lat: number;
  /** Local climate: colder on high ground, some spots are foggier than others. */
  readonly tempOffsetC: number;
  readonly fogProneness: number;
  raining: boolean;
  /** 1 right after rain, drying towards 0. */
  wetness: number;
}

export interface Weather {
  readonly stations: readonly WeatherStation[];
  /** When every station next reports, clock time. */
  nextObservationAt(): number;
  /** Every station's observation if one is due, else nothing. */
  tick(): WeatherObservedInput[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The roadside weather stations, evenly spread along the corridors, reporting together on a fixed interval.
 * The numbers follow a simple diurnal and seasonal pattern for the Guizhou plateau: coldest before dawn,
 * warmest mid-afternoon, morning fog on fog-prone stretches, occasional rain that leaves the road wet
 * (and icy when the surface is below zero). Good enough to look alive; the rules come later.
 */
export function createWeather({
  corridors,
  clock,
  random,
  count = 14,
  idPrefix = 'WS',
  intervalMs = 60_000,
  utcOffsetMin = 480,
  eventIds = createEventIds('wx'),
}: WeatherOptions): Weather {
  if (corridors.length === 0) throw new Error('weather stations need at least one corridor');
  if (!(intervalMs >= 1000)) throw new Error(`weather interval must be at least 1000 ms, got ${intervalMs}`);
  const width = Math.max(2, String(count).length);

  const stations: WeatherStation[] = spreadOverNetwork(corridors, count).map((at, i) => {
    const point = pointAt(at.corridor, at.distanceM);
    return {
      id: `${idPrefix}-${String(i + 1).padStart(width, '0')}`,
      corridorRef: at.corridor.ref,
      stakeM: Math.round(at.distanceM),
      lon: round(point.lon, 6),
      lat: round(point.lat, 6),
      tempOffsetC: uniform(random, -2.5, 1),
      fogProneness: uniform(random, 0, 1),
      raining: false,
      wetness: 0,
    };
  });

  let nextAt = clock.now();

  function observe(station: WeatherStation, now: number): WeatherObservedInput {
    const local = now + utcOffsetMin * 60_000;
    const hour = (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
    const dayOfYear = Math.floor(local / DAY_MS) % 365.25;

    // Plateau climate: about 2.5 °C in late January, 22.5 °C in late July; ±4 °C over the day, peak at 15:00.
    const seasonalMeanC = 12.5 - 10 * Math.cos((2 * Math.PI * (dayOfYear - 20)) / 365.25);
    const airTempC =
      seasonalMeanC + 4 * Math.cos((2 * Math.PI * (hour - 15)) / 24) + station.tempOffsetC + gaussian(random) * 0.2;

    // Rain comes and goes (about once every 8 hours per station, lasting half an hour on average).
    const minutes = intervalMs / 60_000;
    if (station.raining) {
      if (chance(random, 0.03 * minutes)) station.raining = false;
    } else if (chance(random, 0.002 * minutes)) {
      station.raining = true;
    }
    // Reported as the current rain rate in mm per hour.
    const precipitationMm = station.raining ? round(uniform(random, 0.2, 3), 1) : 0;
    station.wetness = station.raining ? 1 : Math.max(0, station.wetness - 0.04 * minutes * (airTempC > 10 ? 2 : 1));

    // The road warms in the sun (06:00–18:00, most at 13:00) and loses heat to a clear night sky.
    const sun = Math.max(0, Math.sin((Math.PI * (hour - 6)) / 12));
    const roadSurfaceTempC =
      airTempC + (station.raining ? 1 : 7) * sun ** 1.5 - (sun === 0 ? 1.5 : 0) + gaussian(random) * 0.2;

    // Morning fog around 06:30 on fog-prone stretches; rain halves the visibility.
    const fog = station.fogProneness * Math.max(0, Math.cos((2 * Math.PI * (hour - 6.5)) / 24)) ** 8;
    const visibilityM = 20_000 * (1 - 0.97 * fog) * (station.raining ? 0.5 : 1) * (1 + gaussian(random) * 0.03);

    // Calm nights, breezier afternoons.
    const windSpeedMs = 1.5 + 3 * Math.max(0, Math.sin((Math.PI * (hour - 9)) / 12)) + gaussian(random) * 0.5;

    let roadSurfaceState: WeatherObservedInput['roadSurfaceState'] = 'dry';
    if (station.raining && airTempC <= 0.5) roadSurfaceState = 'snow';
    else if (station.wetness > 0 && roadSurfaceTempC <= 0) roadSurfaceState = 'ice';
    else if (station.wetness > 0.2) roadSurfaceState = 'wet';

    return {
      eventId: eventIds(),
      ts: now,
      stationId: station.id,
      visibilityM: Math.max(50, Math.round(visibilityM / 10) * 10),
      roadSurfaceTempC: round(roadSurfaceTempC, 1),
      airTempC: round(airTempC, 1),
      windSpeedMs: round(Math.max(0, windSpeedMs), 1),
      precipitationMm,
      roadSurfaceState,
    };
  }

  return {
    stations,
    nextObservationAt: () => nextAt,
    tick() {
      const now = clock.now();
      if (now < nextAt) return [];
      // Keep the cadence; after a long pause report once, not a backlog.
      nextAt += intervalMs;
      if (nextAt <= now) nextAt = now + intervalMs;
      return stations.map((station) => observe(station, now));
    },
  };
}
