import {
  DEFAULT_SLA_POLICY,
  isOpenState,
  type Incident,
  type IncidentState,
  type IncidentType,
  type SlaPolicy,
} from '@beacon/shared';
import { compareByUrgency, nextSlaDeadline } from './sla.ts';

/** The queue's filters: type, state ('open' = every open state), county (adcode, '' = all), SLA-overdue only. */
export interface QueueFilter {
  type: IncidentType | '';
  state: 'open' | 'all' | IncidentState;
  area: string;
  overdue: boolean;
}

export const DEFAULT_QUEUE_FILTER: QueueFilter = { type: '', state: 'open', area: '', overdue: false };

/**
 * The incidents the filter lets through, most urgent first (priority, then SLA time left against `targets`,
 * the server's policy when the snapshot carried one).
 */
export function filterQueue(
  incidents: Incident[],
  filter: QueueFilter,
  now: number,
  within: (area: string, jurisdiction: string | null) => boolean,
  targets: SlaPolicy = DEFAULT_SLA_POLICY,
): Incident[] {
  return incidents
    .filter((i) => {
      if (filter.type && i.type !== filter.type) return false;
      if (filter.state === 'open' && !isOpenState(i.state)) return false;
      if (filter.state !== 'open' && filter.state !== 'all' && i.state !== filter.state) return false;
      if (filter.area && !within(filter.area, i.jurisdiction)) return false;
      if (filter.overdue && !((nextSlaDeadline(i, now, targets)?.remainingMs ?? 0) < 0)) return false;
      return true;
    })
    .sort(compareByUrgency(now, targets));
}

/**
 * The query of `/api/v1/incidents.csv` for a filter: type, state (`open` = every open state) and area; the
 * server exports the last 24 h (the SLA-overdue filter is the screen's own and is not exported).
 */
export function incidentsCsvQuery(filter: QueueFilter): string {
  const query = new URLSearchParams();
  if (filter.type) query.set('type', filter.type);
  if (filter.state !== 'all') query.set('state', filter.state);
  if (filter.area) query.set('under', filter.area);
  const qs = query.toString();
  return qs ? `?${qs}` : '';
}
