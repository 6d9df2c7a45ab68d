import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { Ack, GpsReportedInput, IngestResult } from '@beacon/shared';
import { createEventIds } from './credentials.ts';

/** Why the terminal could not send its position; the screen turns it into a sentence. */
export type GpsProblem =
  | { kind: 'unsupported' }
  | { kind: 'denied' }
  | { kind: 'unavailable' }
  | { kind: 'timeout' }
  | { kind: 'rejected'; code: string; message: string };

/** At most one fix per this interval goes to the server; the newest one wins. */
const MIN_INTERVAL_MS = 1000;

/** A browser position as a `gps:reported` payload (WGS-84, as the Geolocation API gives it). */
export function fixFromPosition(unitId: string, eventId: string, position: GeolocationPosition): GpsReportedInput {
  const { longitude, latitude, speed, heading } = position.coords;
  const fix: GpsReportedInput = {
    eventId,
    ts: Math.round(position.timestamp),
    unitId,
    lon: Math.round(longitude * 1e7) / 1e7,
    lat: Math.round(latitude * 1e7) / 1e7,
  };
  if (speed !== null && Number.isFinite(speed) && speed >= 0) fix.speedKmh = Math.min(400, Math.round(speed * 36) / 10);
  // Browsers give NaN for the heading while standing still.
  if (heading !== null && Number.isFinite(heading) && heading >= 0 && heading <= 360) {
    fix.headingDeg = Math.round(heading * 10) / 10;
  }
  return fix;
}

/**
 * "上报本机定位": watch the browser's position and send it as `gps:reported` over the logged-in device
 * connection, at most once a second, with event ids made of a boot id and a counter.
 */
export function useGpsReporter(unitId: string, send: (fix: GpsReportedInput) => Promise<Ack<IngestResult>>) {
  const enabled = ref(false);
  const lastSentAt = ref<number | null>(null);
  const lastFix = shallowRef<GpsReportedInput | null>(null);
  const problem = shallowRef<GpsProblem | null>(null);
  const nextEventId = createEventIds('gps');
  let watchId: number | null = null;
  let pending: GeolocationPosition | null = null;
  let timer = 0;
  let lastAttemptAt = 0;

  async function flush(): Promise<void> {
    timer = 0;
    const position = pending;
    pending = null;
    if (!position || !enabled.value) return;
    lastAttemptAt = Date.now();
    const fix = fixFromPosition(unitId, nextEventId(), position);
    const response = await send(fix);
    if (response.ok) {
      lastSentAt.value = Date.now();
      lastFix.value = fix;
      problem.value = null;
    } else {
      problem.value = { kind: 'rejected', code: response.error.code, message: response.error.message };
    }
  }

  function onPosition(position: GeolocationPosition): void {
    pending = position;
    if (timer) return;
    const wait = Math.max(0, lastAttemptAt + MIN_INTERVAL_MS - Date.now());
    timer = window.setTimeout(() => void flush(), wait);
  }

  function onError(error: GeolocationPositionError): void {
    problem.value = { kind: error.code === 1 ? 'denied' : error.code === 3 ? 'timeout' : 'unavailable' };
    if (error.code === 1) stop();
  }

  function start(): void {
    if (enabled.value) return;
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      problem.value = { kind: 'unsupported' };
      return;
    }
    problem.value = null;
    enabled.value = true;
    watchId = navigator.geolocation.watchPosition(onPosition, onError, {
      enableHighAccuracy: true,
      maximumAge: 0,
      timeout: 30_000,
    });
  }

  function stop(): void {
    enabled.value = false;
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    clearTimeout(timer);
    timer = 0;
    pending = null;
  }

  onBeforeUnmount(stop);

  return { enabled, lastSentAt, lastFix, problem, start, stop, toggle: () => (enabled.value ? stop() : start()) };
}
