/** Beijing is UTC+8 all year: the command center's clock, whatever the browser's zone. */
const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Playback runs this many times faster than real time. */
export const PLAY_SPEED = 60;
/** How often playback steps (real time); each step moves `PLAY_SPEED × PLAY_TICK_MS` of past time. */
export const PLAY_TICK_MS = 1000;
/** How long the scrubber must rest before the past situation is asked for (dragging sends no flood). */
export const SCRUB_DEBOUNCE_MS = 250;
/** The fixed steps of the scrubber's buttons. */
export const STEPS_MS = { fiveMinutes: 5 * 60_000, hour: 3600_000 } as const;

/** `2026-11-26T08:30:05`: a `datetime-local` input's value for this instant in Beijing time. */
export function toBeijingInput(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19);
}

/** The instant a `datetime-local` value (Beijing time, seconds optional) names; null when it names none. */
export function fromBeijingInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms - BEIJING_OFFSET_MS : null;
}

/** `at` held inside [min, max]. */
export function clampTime(at: number, min: number, max: number): number {
  return Math.min(Math.max(at, min), Math.max(min, max));
}

/**
 * The time asked for in the address (`/asof?at=…`): epoch ms, or an ISO time (with its zone, else Beijing time);
 * null when absent or unreadable.
 */
export function parseAtParam(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d+$/.test(value)) return Number(value);
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : null;
  }
  return fromBeijingInput(value);
}
