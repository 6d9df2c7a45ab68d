import type { Incident } from '@beacon/shared';
import { awaitsDispatch } from '../../map/features.ts';

/** A P1 older than this when the wall first hears of it (e.g. in a late catch-up) no longer preempts. */
export const PREEMPT_MAX_AGE_MS = 10 * 60_000;

/**
 * Whether an incident, just received by a live event or a catch-up, must take over the wall: a P1 awaiting
 * dispatch that the wall did not already hold as such (new, or raised to P1), and still recent.
 */
export function shouldPreempt(incident: Incident, previous: Incident | undefined, now: number): boolean {
  if (incident.priority !== 'P1' || !awaitsDispatch(incident)) return false;
  if (previous && previous.priority === 'P1') return false;
  return now - incident.createdAt <= PREEMPT_MAX_AGE_MS;
}

/**
 * The incidents waiting for the wall's attention, first come first served; an incident is queued once
 * (while queued or shown), and the queue is bounded so a storm cannot grow it without end.
 */
export class AttentionQueue {
  private readonly ids: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly limit = 20) {}

  /** Queue an incident unless it was queued before; returns whether it was added. */
  push(id: string): boolean {
    if (this.seen.has(id) || this.ids.length >= this.limit) return false;
    this.seen.add(id);
    this.ids.push(id);
    if (this.seen.size > 500) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }

  /** The next incident to show, or undefined when none waits. */
  shift(): string | undefined {
    return this.ids.shift();
  }

  get length(): number {
    return this.ids.length;
  }
}
