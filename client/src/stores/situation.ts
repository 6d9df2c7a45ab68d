import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import {
  DEFAULT_SLA_POLICY,
  isOpenState,
  type ActiveWeatherAlert,
  type Alarm,
  type Incident,
  type Priority,
  type ServerStatus,
  type SlaPolicy,
  type SituationCatchup,
  type Snapshot,
  type StoredEvent,
  type Unit,
  type UnitPosition,
  type WeatherAlertChanged,
} from '@beacon/shared';

export type ConnectionState = 'connecting' | 'connected' | 'offline';

/** One line of the wall's ticker: something that changed while the screen was watching. */
export type FeedEvent =
  | { kind: 'incident_created'; incident: Incident }
  | { kind: 'incident_state'; incident: Incident }
  | { kind: 'unit_status'; unit: Unit }
  | { kind: 'alarm_raised'; alarm: Alarm }
  | { kind: 'weather_alert'; change: WeatherAlertChanged['change'] };
export type FeedEntry = FeedEvent & { key: string; at: number };

const FEED_LENGTH = 30;
/** How many applied event ids are remembered to drop duplicates (a catch-up overlapping live events). */
const SEEN_IDS = 4096;

/** The domain events a screen's situation is built from (work orders and notices are other stores'). */
export type SituationEventName =
  'unit:updated' | 'incident:created' | 'incident:updated' | 'alert:changed' | 'alarm:changed';

/** Order of two ids of the events stream (`<ms>-<seq>`): negative when `a` is older. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** A unit whose last GPS fix is older than this is drawn dimmed as "signal lost". */
export const LOST_SIGNAL_MS = 60_000;

/**
 * The live situation as plain objects keyed by id. The records are held in shallow refs and
 * mutated in place (then triggered), so a tick of thousands of positions is not made deeply reactive.
 */
export const useSituationStore = defineStore('situation', () => {
  const units = shallowRef<Record<string, Unit>>({});
  const incidents = shallowRef<Record<string, Incident>>({});
  const connection = ref<ConnectionState>('connecting');
  /** Local time of the last message from the server, to show staleness. */
  const lastMessageAt = ref<number | null>(null);
  /** Non-null when the server is fed by simulators; every screen shows it. */
  const demoNotice = ref<string | null>(null);
  /** Server clock minus local clock, from the last snapshot. */
  const clockSkewMs = ref(0);
  /** Bumped on every position batch so map layers can redraw without deep watching. */
  const positionsVersion = ref(0);
  const feed = shallowRef<FeedEntry[]>([]);
  /** Weather stations with a warning up, by station id. */
  const weatherAlerts = shallowRef<Record<string, ActiveWeatherAlert>>({});
  /** The SLA targets the server applies (from its snapshot), else its documented defaults. */
  const slaTargets = shallowRef<SlaPolicy>(DEFAULT_SLA_POLICY);
  /** Open and acknowledged alarms, by id; a closed alarm leaves. */
  const alarms = shallowRef<Record<string, Alarm>>({});
  /** The drill this screen's server runs (from the snapshot); null on a live server. */
  const drillId = ref<string | null>(null);
  /** Whether the server can reach Redis (`server:status`); null until it said. */
  const serverStatus = ref<ServerStatus | null>(null);
  /** The newest events-stream id applied: sent as `auth.lastEventId` on reconnect to catch up. */
  const lastEventId = ref<string | null>(null);
  /** Ids applied recently, oldest first, so an event seen both live and in a catch-up is applied once. */
  const seenIds = new Set<string>();
  const arrivalListeners = new Set<(incident: Incident, previous: Incident | undefined) => void>();
  let feedSeq = 0;
  /** Whether items of another drill (or drill items on a live screen) must be dropped. */
  const belongs = (item: { drillId: string | null }) => item.drillId === drillId.value;

  function pushFeed(event: FeedEvent): void {
    feedSeq += 1;
    feed.value = [{ ...event, key: String(feedSeq), at: Date.now() }, ...feed.value].slice(0, FEED_LENGTH);
  }

  function touch(): void {
    lastMessageAt.value = Date.now();
  }

  function applySnapshot(snapshot: Snapshot): void {
    drillId.value = snapshot.drillId ?? null;
    // The snapshot is "now", with no stream id of its own: a later reconnect names the next event seen, or
    // gets a snapshot again.
    lastEventId.value = null;
    units.value = Object.fromEntries(snapshot.units.map((u) => [u.id, u]));
    incidents.value = Object.fromEntries(snapshot.incidents.filter(belongs).map((i) => [i.id, i]));
    alarms.value = Object.fromEntries((snapshot.alarms ?? []).filter(belongs).map((a) => [a.id, a]));
    weatherAlerts.value = Object.fromEntries((snapshot.weatherAlerts ?? []).map((a) => [a.stationId, a]));
    clockSkewMs.value = snapshot.serverTime - Date.now();
    slaTargets.value = snapshot.slaPolicy ?? DEFAULT_SLA_POLICY;
    demoNotice.value = snapshot.demoNotice;
    if (feed.value.length === 0) {
      // A wall that just started still shows what happened recently.
      feed.value = snapshot.incidents
        .filter(belongs)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, FEED_LENGTH)
        .map((incident) => ({
          kind: 'incident_created' as const,
          incident,
          key: `snapshot-${incident.id}`,
          at: incident.createdAt - clockSkewMs.value,
        }));
    }
    positionsVersion.value += 1;
    touch();
  }

  function applyUnit(unit: Unit): void {
    const previous = units.value[unit.id];
    if (previous && previous.status !== unit.status) pushFeed({ kind: 'unit_status', unit });
    units.value[unit.id] = unit;
    triggerRef(units);
    positionsVersion.value += 1;
    touch();
  }

  function applyIncident(incident: Incident): void {
    if (!belongs(incident)) return;
    const existing = incidents.value[incident.id];
    if (existing && existing.updatedAt > incident.updatedAt) return;
    if (!existing) pushFeed({ kind: 'incident_created', incident });
    else if (existing.state !== incident.state) pushFeed({ kind: 'incident_state', incident });
    incidents.value[incident.id] = incident;
    triggerRef(incidents);
    touch();
    for (const listener of arrivalListeners) listener(incident, existing);
  }

  /**
   * Be told of every incident that arrives by a live event or a catch-up (not by a snapshot), with the
   * version held before; the wall's attention preemption listens here. Returns the unsubscribe function.
   */
  function onIncidentChanged(listener: (incident: Incident, previous: Incident | undefined) => void): () => void {
    arrivalListeners.add(listener);
    return () => arrivalListeners.delete(listener);
  }

  /**
   * Apply one domain event once: an id already applied is dropped (the catch-up and the live feed overlap),
   * and the newest id is kept for the next reconnect. Returns whether the event was applied.
   */
  function applyEvent(type: string, payload: unknown, id: string | null | undefined): boolean {
    if (id) {
      if (seenIds.has(id)) return false;
      seenIds.add(id);
      if (seenIds.size > SEEN_IDS) seenIds.delete(seenIds.values().next().value as string);
      if (lastEventId.value === null || compareStreamIds(id, lastEventId.value) > 0) lastEventId.value = id;
    }
    switch (type as SituationEventName) {
      case 'unit:updated':
        applyUnit(payload as Unit);
        return true;
      case 'incident:created':
      case 'incident:updated':
        applyIncident(payload as Incident);
        return true;
      case 'alert:changed':
        applyWeatherAlert(payload as WeatherAlertChanged);
        return true;
      case 'alarm:changed':
        applyAlarm(payload as Alarm);
        return true;
    }
    // Work orders, notices: not part of the situation, but their ids still advance the catch-up point.
    touch();
    return true;
  }

  /**
   * A reconnect's catch-up instead of a snapshot: the missed events in order (duplicates dropped), then the
   * units as they are now. Returns the events not part of the situation, for other stores.
   */
  function applyCatchup(catchup: SituationCatchup): StoredEvent[] {
    const others: StoredEvent[] = [];
    for (const event of catchup.events) {
      if (applyEvent(event.type, event.payload, event.id) && !SITUATION_EVENTS.has(event.type)) others.push(event);
    }
    units.value = Object.fromEntries(catchup.units.map((u) => [u.id, u]));
    clockSkewMs.value = catchup.serverTime - Date.now();
    if (catchup.lastEventId && (!lastEventId.value || compareStreamIds(catchup.lastEventId, lastEventId.value) > 0)) {
      lastEventId.value = catchup.lastEventId;
    }
    positionsVersion.value += 1;
    touch();
    return others;
  }

  /** An alarm opened, was acknowledged or closed: keep it while it is open or acknowledged. */
  function applyAlarm(alarm: Alarm): void {
    if (!belongs(alarm)) return;
    const known = alarm.id in alarms.value;
    const next = { ...alarms.value };
    if (alarm.state === 'closed') delete next[alarm.id];
    else next[alarm.id] = alarm;
    alarms.value = next;
    if (!known && alarm.state === 'open') pushFeed({ kind: 'alarm_raised', alarm });
    touch();
  }

  /** A station's warning moved: replace it, or drop it when nothing is up any more. */
  function applyWeatherAlert({ stationId, change, alert }: WeatherAlertChanged): void {
    const next = { ...weatherAlerts.value };
    if (alert) next[stationId] = alert;
    else delete next[stationId];
    weatherAlerts.value = next;
    pushFeed({ kind: 'weather_alert', change });
    touch();
  }

  /**
   * Forget incidents that ended (closed, followed up, cancelled or merged) more than `keepMs` ago. A wall runs
   * for weeks without reconnecting; without this every ended incident would stay in memory (the server's
   * snapshot keeps the last 24 h).
   */
  function pruneEnded(now: number, keepMs = 24 * 3600_000): number {
    let removed = 0;
    for (const [id, incident] of Object.entries(incidents.value)) {
      if (!isOpenState(incident.state) && now - endedAt(incident) > keepMs) {
        delete incidents.value[id];
        removed += 1;
      }
    }
    if (removed > 0) triggerRef(incidents);
    return removed;
  }

  /** Merge a batch of positions by id; unknown units wait for their `unit:updated`. */
  function applyPositions(positions: UnitPosition[]): void {
    for (const p of positions) {
      const unit = units.value[p.id];
      if (!unit || unit.lastFixAt > p.lastFixAt) continue;
      units.value[p.id] = { ...unit, ...p };
    }
    positionsVersion.value += 1;
    touch();
  }

  /** Forget everything: a new sign-in must not see what the previous one saw (its area may be smaller). */
  function clear(): void {
    units.value = {};
    incidents.value = {};
    alarms.value = {};
    weatherAlerts.value = {};
    feed.value = [];
    lastMessageAt.value = null;
    demoNotice.value = null;
    drillId.value = null;
    serverStatus.value = null;
    lastEventId.value = null;
    seenIds.clear();
    positionsVersion.value += 1;
  }

  const unitList = computed(() => Object.values(units.value).sort((a, b) => a.id.localeCompare(b.id)));
  const incidentList = computed(() => Object.values(incidents.value));
  const weatherAlertList = computed(() => Object.values(weatherAlerts.value).sort(compareWeatherAlerts));
  const activeIncidents = computed(() => incidentList.value.filter((i) => isOpenState(i.state)).sort(compareIncidents));
  /** Alarms not yet acknowledged, latest signal first. */
  const alarmList = computed(() => Object.values(alarms.value).sort((a, b) => b.lastSeenAt - a.lastSeenAt));

  return {
    pruneEnded,
    drillId,
    serverStatus,
    lastEventId,
    applyEvent,
    applyCatchup,
    onIncidentChanged,
    alarms,
    alarmList,
    applyAlarm,
    units,
    incidents,
    connection,
    lastMessageAt,
    clockSkewMs,
    demoNotice,
    positionsVersion,
    feed,
    weatherAlerts,
    weatherAlertList,
    slaTargets,
    unitList,
    incidentList,
    activeIncidents,
    applySnapshot,
    applyUnit,
    applyIncident,
    applyPositions,
    applyWeatherAlert,
    touch,
    clear,
  };
});

const SITUATION_EVENTS = new Set<string>([
  'unit:updated',
  'incident:created',
  'incident:updated',
  'alert:changed',
  'alarm:changed',
] satisfies SituationEventName[]);

/** When an ended incident ended: the latest of its closing, follow-up and cancel/merge times. */
export function endedAt(incident: Incident): number {
  return Math.max(incident.closedAt ?? 0, incident.feedbackAt ?? 0, incident.endedAt ?? 0) || incident.updatedAt;
}

const PRIORITY_RANK: Record<Priority, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };

/** Queue order: priority first, then the oldest first (it has waited longest). */
export function compareIncidents(a: Incident, b: Incident): number {
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.createdAt - b.createdAt;
}

const LEVEL_RANK = { blue: 0, yellow: 1, orange: 2, red: 3 } as const;

/** The highest signal level of a station's warning. */
export function topLevel(alert: ActiveWeatherAlert): ActiveWeatherAlert['stages'][number]['level'] {
  return alert.stages.reduce<ActiveWeatherAlert['stages'][number]['level']>(
    (top, s) => (LEVEL_RANK[s.level] > LEVEL_RANK[top] ? s.level : top),
    'blue',
  );
}

/** Warnings: most severe first, then by station. */
export function compareWeatherAlerts(a: ActiveWeatherAlert, b: ActiveWeatherAlert): number {
  return LEVEL_RANK[topLevel(b)] - LEVEL_RANK[topLevel(a)] || a.stationId.localeCompare(b.stationId);
}
