/**
 * The command center's clock face: Beijing time, UTC+8 all year (China has no daylight saving time), so a
 * local day is always 24 hours and local wall time is a fixed shift of epoch milliseconds.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Epoch ms of the local (UTC+8) midnight that starts the day containing `t`. */
export function localMidnight(t: number): number {
  return Math.floor((t + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

/** Local (UTC+8) hour of the day of `t`, 0–23. */
export function localHour(t: number): number {
  return Math.floor((t - localMidnight(t)) / HOUR_MS);
}
