import {
  manualClock,
  type GpsReportedInput,
  type ManualClock,
  type PedestrianDetectedInput,
  type WeatherObservedInput,
} from '@beacon/shared';
import { createCameras, type Cameras } from '../cameras.ts';
import { createEventIds } from '../event-ids.ts';
import { round } from '../geo-noise.ts';
import { createPatrols, type Patrols } from '../patrols.ts';
import { chance, mulberry32, pick, uniform, type Random } from '../random.ts';
import type { Corridor } from '../route.ts';
import { createWeather, type Weather, type WeatherStation } from '../weather.ts';
import { ScenarioError } from './load.ts';
import type { Episode, Scenario, ScenarioEvent } from './schema.ts';

/** Simulated time between two steps of the player. */
export const PLAYER_STEP_MS = 1_000;

/** The device events of one stretch of simulated time, in time order per kind. */
export interface PlayedEvents {
  gps: GpsReportedInput[];
  detections: PedestrianDetectedInput[];
  observations: WeatherObservedInput[];
}

/** A timeline item that has started, for logs and progress lines. */
export interface FiredItem {
  at: number;
  what: string;
}

export interface ScenarioPlayer {
  readonly scenario: Scenario;
  readonly startAt: number;
  readonly endAt: number;
  /** Simulated time; the player moves it. Crews and the server of a drill may share it. */
  readonly clock: ManualClock;
  readonly patrols: Patrols;
  readonly cameras: Cameras;
  readonly weather: Weather;
  /** A PRNG for the crews, separate from the device streams so that network timing never changes them. */
  readonly crewRandom: Random;
  /**
   * Step simulated time up to `t` (1 s steps) and return the device events that fell due. The events depend
   * only on the scenario, its seed and `t`, never on how often this is called.
   */
  advanceTo(t: number): PlayedEvents;
  /** Timeline items started so far. */
  readonly fired: readonly FiredItem[];
  done(): boolean;
}

/** Independent PRNG streams derived from one seed. */
function streams(seed: number) {
  const derive = (salt: number) => mulberry32((seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  return { patrols: derive(1), cameras: derive(2), weather: derive(3), crews: derive(4), background: derive(5) };
}

/** Linear between points, held before the first and after the last. */
export function profileAt(points: readonly { at: number; value: number }[], elapsedMs: number): number {
  if (elapsedMs <= points[0]!.at) return points[0]!.value;
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (elapsedMs <= b.at)
      return b.at === a.at ? b.value : a.value + ((b.value - a.value) * (elapsedMs - a.at)) / (b.at - a.at);
  }
  return points.at(-1)!.value;
}

/**
 * Turn a scenario into device events over simulated time, deterministically: all randomness comes from
 * PRNGs seeded by the scenario's seed, and time from the player's own clock moved in fixed steps.
 * Weather is the stations' ordinary diurnal cycle with the timeline's episodes laid over it; cameras see the
 * scripted walk-ons and false positives (and the background rate, if any); patrols drive their beats.
 */
export function createScenarioPlayer({
  scenario,
  corridors,
  runId,
}: {
  scenario: Scenario;
  corridors: readonly Corridor[];
  /** Prefix of every event id; unique per run against one key space (the drill id does). */
  runId: string;
}): ScenarioPlayer {
  const byRef = new Map(corridors.map((c) => [c.ref, c]));
  const corridor = (ref: string, index: number, stakeKm?: number): Corridor => {
    const found = byRef.get(ref);
    if (!found) {
      throw new ScenarioError(
        `timeline.${index}: unknown corridor ${ref}; the region has ${[...byRef.keys()].join(', ')}`,
      );
    }
    if (stakeKm !== undefined && stakeKm * 1000 > found.lengthM) {
      throw new ScenarioError(
        `timeline.${index}: stake ${stakeKm} km lies beyond the end of ${ref} (${(found.lengthM / 1000).toFixed(1)} km)`,
      );
    }
    return found;
  };
  scenario.timeline.forEach((item, index) => {
    if ('corridor' in item) corridor(item.corridor, index, 'stakeKm' in item ? item.stakeKm : undefined);
    if ('corridors' in item && item.corridors !== 'all') for (const ref of item.corridors) corridor(ref, index);
  });

  const startAt = Date.parse(scenario.start);
  const endAt = startAt + scenario.duration;
  const clock = manualClock(startAt);
  const rng = streams(scenario.seed);
  const { fleet, background } = scenario;

  const patrols = createPatrols({
    corridors,
    clock,
    random: rng.patrols,
    count: fleet.units === 'region default' ? 12 : fleet.units,
    gpsEveryMs: fleet.gps.everyS * 1000,
    gpsNoiseM: fleet.gps.noiseM,
    dropoutChance: fleet.gps.dropoutChance,
    eventIds: createEventIds(`${runId}-gps`),
  });
  const walkOnEveryMs: [number, number] | null =
    background.walkOnsPerHour > 0
      ? [(0.5 * 3_600_000) / background.walkOnsPerHour, (1.5 * 3_600_000) / background.walkOnsPerHour]
      : null;
  const cameras = createCameras({
    corridors,
    clock,
    random: rng.cameras,
    walkOnEveryMs,
    firstWalkOnAfterMs: walkOnEveryMs ? walkOnEveryMs[0] : 0,
    cameraSpacingM: fleet.cameras === 'region default' ? 2_000 : fleet.cameras.spacingKm * 1000,
    eventIds: createEventIds(`${runId}-ped`),
  });
  const weather = createWeather({
    corridors,
    clock,
    random: rng.weather,
    count: fleet.stations === 'region default' ? 14 : fleet.stations,
    eventIds: createEventIds(`${runId}-wx`),
  });

  // Gale fronts sweep across the stations' bounding box.
  const lons = weather.stations.map((s) => s.lon);
  const lats = weather.stations.map((s) => s.lat);
  const box = {
    minLon: Math.min(...lons),
    maxLon: Math.max(...lons),
    minLat: Math.min(...lats),
    maxLat: Math.max(...lats),
  };
  const kmPerDegLat = 110.574;
  const kmPerDegLon = 111.32 * Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);

  const episodes = scenario.timeline.filter((item): item is Episode => 'episode' in item);
  const events = scenario.timeline
    .map((item, index) => ({ item, index }))
    .filter((e): e is { item: ScenarioEvent; index: number } => 'event' in e.item)
    .sort((a, b) => a.item.at - b.item.at || a.index - b.index);
  let nextEvent = 0;
  const fired: FiredItem[] = [];
  const episodesSeen = new Set<Episode>();

  const onCorridors = (station: WeatherStation, corridors: 'all' | string[]) =>
    corridors === 'all' || corridors.includes(station.corridorRef);

  /** Lay every running episode over a station's ordinary reading. */
  function applyEpisodes(
    observation: WeatherObservedInput,
    station: WeatherStation,
    now: number,
  ): WeatherObservedInput {
    const reading = { ...observation };
    for (const episode of episodes) {
      const elapsed = now - (startAt + episode.at);
      if (elapsed < 0 || elapsed > episode.duration) continue;
      switch (episode.episode) {
        case 'fog_bank': {
          if (station.corridorRef !== episode.corridor) break;
          const shiftKm = (episode.driftKmh * elapsed) / 3_600_000;
          const km = station.stakeM / 1000;
          if (km < episode.fromKm + shiftKm || km > episode.toKm + shiftKm) break;
          const visibility = Math.round(profileAt(episode.visibilityM, elapsed));
          reading.visibilityM = Math.min(reading.visibilityM ?? Number.POSITIVE_INFINITY, visibility);
          reading.windSpeedMs = Math.min(reading.windSpeedMs ?? 2, 2);
          break;
        }
        case 'freezing_night': {
          if (!onCorridors(station, episode.corridors)) break;
          const road = round(profileAt(episode.roadSurfaceTempC, elapsed) + station.tempOffsetC * 0.3, 1);
          reading.roadSurfaceTempC = road;
          reading.airTempC = round(Math.min(reading.airTempC ?? road + 1.5, road + 1.5), 1);
          reading.precipitationMm = Math.max(reading.precipitationMm ?? 0, episode.drizzleMmH);
          reading.roadSurfaceState = road <= 0 ? 'ice' : 'wet';
          break;
        }
        case 'gale_front': {
          if (!onCorridors(station, episode.corridors)) break;
          const distanceKm = {
            east: (station.lon - box.minLon) * kmPerDegLon,
            west: (box.maxLon - station.lon) * kmPerDegLon,
            north: (station.lat - box.minLat) * kmPerDegLat,
            south: (box.maxLat - station.lat) * kmPerDegLat,
          }[episode.towards];
          const arrives = (distanceKm / episode.speedKmh) * 3_600_000;
          const into = elapsed - arrives;
          if (into < 0 || into > episode.lastsAtStation) break;
          // Gusty: the mean wind wavers a little around the front's strength, without randomness of its own.
          const waver = 1 + 0.04 * Math.sin(into / 97_000 + station.stakeM);
          reading.windSpeedMs = round(Math.max(reading.windSpeedMs ?? 0, episode.windSpeedMs * waver), 1);
          break;
        }
        case 'rainstorm': {
          if (!onCorridors(station, episode.corridors)) break;
          const rate = round(profileAt(episode.rateMmH, elapsed), 1);
          reading.precipitationMm = Math.max(reading.precipitationMm ?? 0, rate);
          if (rate > 0) {
            reading.roadSurfaceState = reading.roadSurfaceState === 'ice' ? 'ice' : 'wet';
            reading.visibilityM = Math.min(reading.visibilityM ?? 20_000, Math.round(20_000 / (1 + rate / 4)));
          }
          break;
        }
      }
    }
    return reading;
  }

  function fire(event: ScenarioEvent, index: number, now: number): void {
    switch (event.event) {
      case 'walk_on': {
        cameras.walkOn({
          corridor: corridor(event.corridor, index),
          distanceM: event.stakeKm * 1000,
          direction: event.direction,
          cameras: event.cameras,
          confidence: event.confidence,
        });
        fired.push({ at: now, what: `walk-on ${event.corridor} K${event.stakeKm} (${event.cameras} cameras)` });
        return;
      }
      case 'false_positive':
        cameras.falsePositive({
          corridor: corridor(event.corridor, index),
          distanceM: event.stakeKm * 1000,
          confidence: event.confidence,
        });
        fired.push({ at: now, what: `false positive ${event.corridor} K${event.stakeKm}` });
        return;
      case 'gps_dropout': {
        const unit = patrols.unit(event.unit);
        if (unit) unit.silentUntil = now + event.duration;
        fired.push({ at: now, what: `GPS dropout ${event.unit}${unit ? '' : ' (no such unit)'}` });
        return;
      }
    }
  }

  function backgroundFalsePositive(now: number): void {
    const rate = background.falsePositivesPerHour;
    if (rate <= 0 || !chance(rng.background, (rate * PLAYER_STEP_MS) / 3_600_000)) return;
    const where = pick(rng.background, corridors);
    cameras.falsePositive({
      corridor: where,
      distanceM: uniform(rng.background, 0, where.lengthM),
      confidence: round(uniform(rng.background, 0.1, 0.4), 2),
    });
    fired.push({ at: now, what: `false positive ${where.ref} (background)` });
  }

  const stationById = new Map(weather.stations.map((s) => [s.id, s]));
  let now = startAt;
  let started = false;

  function step(out: PlayedEvents): void {
    clock.set(now);
    while (nextEvent < events.length && startAt + events[nextEvent]!.item.at <= now) {
      const { item, index } = events[nextEvent]!;
      nextEvent += 1;
      fire(item, index, now);
    }
    for (const episode of episodes) {
      if (!episodesSeen.has(episode) && now >= startAt + episode.at) {
        episodesSeen.add(episode);
        fired.push({ at: now, what: `${episode.episode} begins` });
      }
    }
    backgroundFalsePositive(now);
    out.gps.push(...patrols.tick());
    out.detections.push(...cameras.tick());
    for (const observation of weather.tick()) {
      out.observations.push(applyEpisodes(observation, stationById.get(observation.stationId)!, now));
    }
  }

  return {
    scenario,
    startAt,
    endAt,
    clock,
    patrols,
    cameras,
    weather,
    crewRandom: rng.crews,
    fired,
    advanceTo(t) {
      const out: PlayedEvents = { gps: [], detections: [], observations: [] };
      const target = Math.min(t, endAt);
      if (!started) {
        started = true;
        step(out);
      }
      while (now + PLAYER_STEP_MS <= target) {
        now += PLAYER_STEP_MS;
        step(out);
      }
      return out;
    },
    done: () => now + PLAYER_STEP_MS > endAt,
  };
}
