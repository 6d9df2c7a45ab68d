import type { Incident, IncidentStatistics, ResponseTimeStats } from '../../shared/src/index.ts';

/** One thing the drill's people missed or left undone. */
export interface MissedItem {
  incidentId: string;
  type: Incident['type'];
  priority: Incident['priority'];
  stake: string | null;
  what: 'never_dispatched' | 'not_closed' | 'supervised' | 'low_confidence_left_open';
  /** 督办 kinds raised on it, when `what` is `supervised`. */
  supervisions?: string[];
}

/** The after-action summary of a drill, archived in Redis (`<prefix>:drills`) and `.beacon/drills/<id>.json`. */
export interface AfterActionSummary {
  drillId: string;
  scenario: { id: string; title: string | null; region: string; seed: number; file: string | null };
  speed: number;
  endedEarly: boolean;
  simulated: { from: string; to: string };
  real: { startedAt: string; endedAt: string };
  events: { sent: number; accepted: number; errors: number; crewReports: number };
  incidents: {
    total: number;
    closed: number;
    cancelled: number;
    open: number;
    closureRateText: string;
    byType: Record<string, number>;
  };
  /** Seconds from creation: to dispatch, to arrival, to closure (of the incidents that have the step). */
  responseTimesS: Record<
    'dispatch' | 'arrival' | 'closure',
    { count: number; meanS: number | null; p90S: number | null }
  >;
  slaBreaches: IncidentStatistics['slaBreaches'];
  missed: MissedItem[];
  incidentList: Array<
    Pick<Incident, 'id' | 'type' | 'priority' | 'priorityReason' | 'stake' | 'state' | 'unitId' | 'confidence'> & {
      createdAt: string;
      supervisions: string[];
    }
  >;
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
/** ISO-8601 in China Standard Time, as scenarios write it. */
const iso = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace('Z', '+08:00');
const timing = (s: ResponseTimeStats) => ({ count: s.count, meanS: seconds(s.meanMs), p90S: seconds(s.p90Ms) });
const ENDED: ReadonlySet<Incident['state']> = new Set(['closed', 'feedback', 'cancelled', 'merged']);

/**
 * What a drill officer reads after a drill: closure, response times, SLA breaches, and what was missed —
 * incidents never dispatched, left open, flagged 督办, and low-confidence detections nobody dismissed.
 * Pure: built from the drill server's statistics and incidents.
 */
export function summarizeDrill(input: {
  drillId: string;
  scenario: AfterActionSummary['scenario'];
  speed: number;
  endedEarly: boolean;
  simulated: { from: number; to: number };
  real: { startedAt: number; endedAt: number };
  events: AfterActionSummary['events'];
  statistics: IncidentStatistics;
  incidents: readonly Incident[];
}): AfterActionSummary {
  const { statistics, incidents } = input;
  const missed: MissedItem[] = [];
  for (const i of incidents) {
    const base = { incidentId: i.id, type: i.type, priority: i.priority, stake: i.stake };
    if (i.supervisions.length > 0)
      missed.push({ ...base, what: 'supervised', supervisions: i.supervisions.map((s) => s.kind) });
    if (ENDED.has(i.state)) continue;
    if (i.type === 'pedestrian' && i.confidence < 0.5) missed.push({ ...base, what: 'low_confidence_left_open' });
    else if (i.assignedAt === null) missed.push({ ...base, what: 'never_dispatched' });
    else missed.push({ ...base, what: 'not_closed' });
  }
  const byType: Record<string, number> = {};
  for (const i of incidents) byType[i.type] = (byType[i.type] ?? 0) + 1;
  return {
    drillId: input.drillId,
    scenario: input.scenario,
    speed: input.speed,
    endedEarly: input.endedEarly,
    simulated: { from: iso(input.simulated.from), to: iso(input.simulated.to) },
    real: { startedAt: iso(input.real.startedAt), endedAt: iso(input.real.endedAt) },
    events: input.events,
    incidents: {
      total: incidents.length,
      closed: incidents.filter((i) => i.state === 'closed' || i.state === 'feedback').length,
      cancelled: incidents.filter((i) => i.state === 'cancelled').length,
      open: incidents.filter((i) => !ENDED.has(i.state)).length,
      closureRateText: statistics.closureRateText,
      byType,
    },
    responseTimesS: {
      dispatch: timing(statistics.responseTimes.dispatch),
      arrival: timing(statistics.responseTimes.arrival),
      closure: timing(statistics.responseTimes.closure),
    },
    slaBreaches: statistics.slaBreaches,
    missed,
    incidentList: incidents.map((i) => ({
      id: i.id,
      type: i.type,
      priority: i.priority,
      priorityReason: i.priorityReason,
      stake: i.stake,
      state: i.state,
      unitId: i.unitId,
      confidence: i.confidence,
      createdAt: iso(i.createdAt),
      supervisions: i.supervisions.map((s) => s.kind),
    })),
  };
}

const MISSED_TEXT: Record<MissedItem['what'], string> = {
  never_dispatched: '未派警 never dispatched',
  not_closed: '未办结 not closed',
  supervised: '督办 supervised',
  low_confidence_left_open: '低置信度未处置 low-confidence detection left open',
};

/** The summary as a few readable lines (bilingual labels). */
export function formatSummary(s: AfterActionSummary): string {
  const t = (x: { count: number; meanS: number | null; p90S: number | null }) =>
    x.count === 0 ? '—' : `mean ${x.meanS} s, p90 ${x.p90S} s (${x.count})`;
  const lines = [
    `演练总结 after-action summary — ${s.drillId} (${s.scenario.id}${s.endedEarly ? ', ended early 提前结束' : ''})`,
    `  simulated 模拟时段  ${s.simulated.from} → ${s.simulated.to} at ×${s.speed}`,
    `  events 事件        sent ${s.events.sent}, accepted ${s.events.accepted}, errors ${s.events.errors}, crew reports ${s.events.crewReports}`,
    `  incidents 警情     ${s.incidents.total} (${Object.entries(s.incidents.byType)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}); closed ${s.incidents.closed}, open ${s.incidents.open}, closure 办结率 ${s.incidents.closureRateText}`,
    `  dispatch 派警      ${t(s.responseTimesS.dispatch)}`,
    `  arrival 到场       ${t(s.responseTimesS.arrival)}`,
    `  closure 办结       ${t(s.responseTimesS.closure)}`,
    `  SLA breaches 超时  dispatch ${s.slaBreaches.dispatch}, arrival ${s.slaBreaches.arrival}, closure ${s.slaBreaches.closure}`,
    `  missed 遗漏        ${s.missed.length === 0 ? 'nothing 无' : ''}`,
    ...s.missed.map(
      (m) =>
        `    ${m.incidentId} ${m.type} ${m.priority}${m.stake ? ` ${m.stake}` : ''}: ${MISSED_TEXT[m.what]}${m.supervisions ? ` (${m.supervisions.join(', ')})` : ''}`,
    ),
  ];
  return lines.join('\n');
}
