import { DEFAULT_SLA_POLICY, isOpenState, type Incident, type Priority, type SlaPolicy } from '@beacon/shared';

export type SlaKind = 'dispatch' | 'arrival' | 'closure';

/** The timer an open incident is racing now: the soonest deadline of a step not yet done. */
export interface SlaCountdown {
  kind: SlaKind;
  dueAt: number;
  /** Negative once the deadline has passed (overdue by that much). */
  remainingMs: number;
}

/** The soonest running SLA timer of an open incident at `now`; null for an ended one. */
export function nextSlaDeadline(
  incident: Pick<Incident, 'state' | 'priority' | 'createdAt' | 'assignedAt' | 'arrivedAt' | 'closedAt'>,
  now: number,
  targets: SlaPolicy = DEFAULT_SLA_POLICY,
): SlaCountdown | null {
  if (!isOpenState(incident.state)) return null;
  const t = targets[incident.priority];
  const running: SlaCountdown[] = [];
  const add = (kind: SlaKind, target: number | null, done: number | null) => {
    if (target === null || done !== null) return;
    const dueAt = incident.createdAt + target;
    running.push({ kind, dueAt, remainingMs: dueAt - now });
  };
  add('dispatch', t.dispatchMs, incident.assignedAt);
  add('arrival', t.arrivalMs, incident.arrivedAt);
  add('closure', t.closureMs, incident.closedAt);
  return running.sort((a, b) => a.dueAt - b.dueAt)[0] ?? null;
}

const PRIORITY_RANK: Record<Priority, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };

/**
 * The dispatcher's queue order: priority first; within a priority the least time left on its SLA (the most
 * overdue first); ended incidents after open ones, newest first.
 */
export function compareByUrgency(now: number, targets: SlaPolicy = DEFAULT_SLA_POLICY) {
  return (a: Incident, b: Incident): number => {
    const sa = nextSlaDeadline(a, now, targets);
    const sb = nextSlaDeadline(b, now, targets);
    if (!sa !== !sb) return sa ? -1 : 1;
    if (!sa || !sb) return b.createdAt - a.createdAt;
    return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || sa.dueAt - sb.dueAt || a.createdAt - b.createdAt;
  };
}

/** `04:12` left, or `-02:30` overdue. */
export function formatCountdown(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const body =
    h > 0
      ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
      : `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return ms < 0 ? `-${body}` : body;
}
