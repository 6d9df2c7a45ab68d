/**
 * GPS reports as a patrol car in Bijie (毕节) would send them: valid for the shared `GpsReported` schema,
 * unique eventIds, `ts` = now, WGS-84 coordinates around 105.3E 27.3N. Every scenario (baselines included)
 * builds its payloads here, so they all carry the same JSON.
 */

export interface GpsEvent {
  eventId: string;
  ts: number;
  unitId: string;
  lon: number;
  lat: number;
  speedKmh: number;
  headingDeg: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Unit ids the fleet gateways report for (`BJ-P001` …). */
export function unitIdFor(index: number): string {
  return `BJ-P${String(index + 1).padStart(3, '0')}`;
}

/** A source of GPS events with eventIds unique for `tag` (a device id plus a run tag). */
export function gpsSource(tag: string, units: readonly string[]) {
  let seq = 0;
  return {
    next(now: number, unitId?: string): GpsEvent {
      seq += 1;
      return {
        eventId: `${tag}-${seq}`,
        ts: now,
        unitId: unitId ?? units[seq % units.length]!,
        lon: round(105.3 + (Math.random() - 0.5) * 0.6, 7),
        lat: round(27.3 + (Math.random() - 0.5) * 0.4, 7),
        speedKmh: round(Math.random() * 110, 1),
        headingDeg: round(Math.random() * 359, 1),
      };
    },
    /** Items of `ingest:batch`: the event plus `kind: 'gps'`. */
    batch(size: number, now: number): (GpsEvent & { kind: 'gps' })[] {
      const items: (GpsEvent & { kind: 'gps' })[] = new Array(size);
      for (let i = 0; i < size; i += 1) items[i] = { kind: 'gps', ...this.next(now) };
      return items;
    },
    get sent(): number {
      return seq;
    },
  };
}

/** A tag that keeps eventIds unique across runs against the same Redis. */
export function runTag(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
