import { MAX_BATCH_ITEMS, type BatchItemInput, type Clock } from '@beacon/shared';
import { createDeviceClient, type DeviceClient, type DeviceClientStats } from './device-client.ts';
import { createEventIds } from './event-ids.ts';
import type { SimLogger } from './log.ts';
import type { DeviceCredentials } from './patrol-simulator.ts';
import { createPatrols, type Patrols } from './patrols.ts';
import type { Random } from './random.ts';
import type { Corridor } from './route.ts';
import { createWeather, type Weather } from './weather.ts';

export interface LoadOptions {
  serverUrl: string;
  corridors: readonly Corridor[];
  clock: Clock;
  random: Random;
  log: SimLogger;
  /** Patrol cars, `<prefix>-0001` … (zero-padded to the width of the count); 0 sends no GPS. */
  units: number;
  /** Weather stations, `<prefix>-WS-0001` …; 0 sends no readings. */
  stations: number;
  /** Reports per unit and per station each second (stations at most 1: one reading a second). */
  ratePerS: number;
  /** Fleet GPS gateways (unbound patrol devices); the units are shared out among them. */
  gateways: readonly DeviceCredentials[];
  /** Weather gateways (unbound weather devices); the stations are shared out among them. */
  weather: readonly DeviceCredentials[];
  /** Id prefix of the simulated units and stations; default `LD`. */
  idPrefix?: string;
  /** Prefix of event ids: unique per run (the server de-duplicates per device for a day). */
  runId: string;
  ackTimeoutMs?: number;
}

export interface LoadStats extends Omit<DeviceClientStats, 'connected'> {
  ticks: number;
  units: number;
  stations: number;
}

export interface LoadGenerator {
  readonly patrols: Patrols | null;
  readonly weather: Weather | null;
  /** Send what is due by the clock: GPS fixes and readings as `ingest:batch`es of at most 1000. */
  tick(): Promise<void>;
  stats(): LoadStats;
  connected(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A load generator: thousands of patrol cars and weather stations through the public device protocol. Units
 * and stations are shared out among a few gateway devices (the server rate-limits each device, by default
 * 5 000 events/s), and each tick sends the due fixes and readings as batches. GPS is perishable: a batch a
 * congested gateway cannot take is dropped and counted, as a real fleet gateway would.
 */
export function startLoad({
  serverUrl,
  corridors,
  clock,
  random,
  log,
  units,
  stations,
  ratePerS,
  gateways,
  weather: weatherGateways,
  idPrefix = 'LD',
  runId,
  ackTimeoutMs = 10_000,
}: LoadOptions): LoadGenerator {
  if (!(ratePerS > 0)) throw new Error(`rate must be positive, got ${ratePerS}`);
  if (units > 0 && gateways.length === 0) throw new Error('units need at least one GPS gateway device');
  if (stations > 0 && weatherGateways.length === 0) throw new Error('stations need at least one weather device');
  const everyMs = 1000 / ratePerS;
  const patrols =
    units > 0
      ? createPatrols({
          corridors,
          clock,
          random,
          count: units,
          idPrefix,
          gpsEveryMs: everyMs,
          eventIds: createEventIds(`${runId}-gps`),
        })
      : null;
  const weather =
    stations > 0
      ? createWeather({
          corridors,
          clock,
          random,
          count: stations,
          idPrefix: `${idPrefix}-WS`,
          intervalMs: Math.max(1000, everyMs),
          eventIds: createEventIds(`${runId}-wx`),
        })
      : null;
  const device = (c: DeviceCredentials): DeviceClient =>
    createDeviceClient({ serverUrl, ...c, log, ackTimeoutMs, maxInFlight: 64 });
  const gpsClients = units > 0 ? gateways.map(device) : [];
  const weatherClients = stations > 0 ? weatherGateways.map(device) : [];
  const clients = [...gpsClients, ...weatherClients];
  let ticks = 0;

  /** Share `items` out among `to` by a stable hash of `key`, then send each share in batches. */
  function spread(items: BatchItemInput[], to: DeviceClient[], key: (item: BatchItemInput) => string): Promise<void>[] {
    const shares = to.map((): BatchItemInput[] => []);
    for (const item of items) shares[hash(key(item)) % to.length]!.push(item);
    const sends: Promise<void>[] = [];
    shares.forEach((share, i) => {
      for (let at = 0; at < share.length; at += MAX_BATCH_ITEMS) {
        sends.push(to[i]!.sendBatch(share.slice(at, at + MAX_BATCH_ITEMS)));
      }
    });
    return sends;
  }

  return {
    patrols,
    weather,
    async tick() {
      ticks += 1;
      const fixes: BatchItemInput[] = (patrols?.tick() ?? []).map((fix) => ({ kind: 'gps', ...fix }));
      const readings: BatchItemInput[] = (weather?.tick() ?? []).map((r) => ({ kind: 'weather', ...r }));
      await Promise.all([
        ...spread(fixes, gpsClients, (i) => (i.kind === 'gps' ? i.unitId : '')),
        ...spread(readings, weatherClients, (i) => (i.kind === 'weather' ? i.stationId : '')),
      ]);
    },
    stats() {
      const totals = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, dropped: 0 };
      for (const client of clients) {
        const s = client.stats();
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += s[k];
      }
      return { ...totals, ticks, units, stations };
    },
    async connected() {
      await Promise.all(clients.map((c) => c.connected()));
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

/** FNV-1a: the same unit always goes through the same gateway, so its fixes stay in order. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
