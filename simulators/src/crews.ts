import type { Ack, AssignmentReport, AssignmentRoute, Clock, Incident, LonLat, Unit, UnitReport } from '@beacon/shared';
import type { SimLogger } from './log.ts';
import type { Patrols } from './patrols.ts';
import { gaussian, uniform, type Random } from './random.ts';

/** [min, max] in milliseconds of clock time. */
export type DelayRange = readonly [number, number];

/**
 * How a crew talks to the server: crew reports go over the car's own terminal device on `/ingest`
 * (the server accepts them only from the device bound to the unit), the route over `/ops`, exactly as the
 * patrol terminal page does.
 */
export interface CrewLink {
  reportAssignment(
    unitId: string,
    incidentId: string,
    status: AssignmentReport,
  ): Promise<Ack<{ incident: Incident; unit: Unit }>>;
  reportUnit(unitId: string, status: UnitReport): Promise<Ack<{ unit: Unit }>>;
  route(incidentId: string): Promise<Ack<{ assignment: AssignmentRoute | null }>>;
}

export interface CrewOptions {
  clock: Clock;
  random: Random;
  patrols: Patrols;
  link: CrewLink;
  log: SimLogger;
  /** From the alert to 确认接警 (acknowledge); default 8–40 s. */
  acknowledgeDelayMs?: DelayRange;
  /** From acknowledging to 出发 (en route): belting up, turning on the lights; default 5–25 s. */
  departDelayMs?: DelayRange;
  /** On scene until 处置完毕 (cleared); default 4–15 min. */
  handlingMs?: DelayRange;
  /** From clearing to 恢复空闲 (back in service); default 1–4 min. */
  backInServiceMs?: DelayRange;
  /** Speed of a response drive when the route has no drive time; default 90 km/h. */
  responseKmh?: number;
}

/** Where a crew is in one assignment, as the crew (not the server) sees it. */
export type CrewPhase =
  | { phase: 'patrol' }
  | { phase: 'alerted'; incidentId: string; dueAt: number }
  | { phase: 'acknowledged'; incidentId: string; dueAt: number; route: LonLat[]; speedKmh: number }
  | { phase: 'driving'; incidentId: string }
  | { phase: 'on_scene'; incidentId: string; dueAt: number }
  | { phase: 'returning'; dueAt: number };

export interface CrewCounts {
  acknowledged: number;
  enRoute: number;
  onScene: number;
  cleared: number;
  backInService: number;
  /** Reports the server refused (the state moved under the crew: reassigned, cancelled …). */
  refused: number;
}

export interface Crews {
  /** Tell the crews what the server says about a unit (snapshot and `unit:updated`). */
  onUnit(unit: Unit): void;
  /** Take every step that is due by the clock. Steps run one at a time per crew; never rejects. */
  tick(): void;
  phaseOf(unitId: string): CrewPhase | undefined;
  counts(): CrewCounts;
  /** Resolves when no report is in flight. */
  idle(): Promise<void>;
}

interface Crew {
  unitId: string;
  state: CrewPhase;
  busy: Promise<void> | null;
  /** The server's latest word on the unit that came in while a report was in flight. */
  pending: Unit | null;
}

/**
 * The crews of the simulated patrol cars. A crew learns of an assignment from the server's unit state
 * (status `dispatched` with an incident), then behaves like people: acknowledges after a seeded delay, asks
 * for the route given at dispatch, sets off, drives it (the car follows the route's geometry at the route's
 * own average speed), reports on scene on arrival, clears after a seeded handling time, drives back to its
 * beat as `returning`, and reports back in service. The server stays the truth: a job taken away
 * (改派, cancelled) ends the crew's job at once, and a refused report is never repeated blindly.
 */
export function createCrews({
  clock,
  random,
  patrols,
  link,
  log,
  acknowledgeDelayMs = [8_000, 40_000],
  departDelayMs = [5_000, 25_000],
  handlingMs = [4 * 60_000, 15 * 60_000],
  backInServiceMs = [60_000, 4 * 60_000],
  responseKmh = 90,
}: CrewOptions): Crews {
  for (const [name, range] of Object.entries({ acknowledgeDelayMs, departDelayMs, handlingMs, backInServiceMs })) {
    if (!(range[0] >= 0 && range[1] >= range[0])) throw new Error(`${name} must be [min, max] with 0 <= min <= max`);
  }
  const crews = new Map<string, Crew>(
    patrols.units.map((u) => [u.id, { unitId: u.id, state: { phase: 'patrol' }, busy: null, pending: null }]),
  );
  const counts: CrewCounts = { acknowledged: 0, enRoute: 0, onScene: 0, cleared: 0, backInService: 0, refused: 0 };
  const draw = ([min, max]: DelayRange) => Math.round(uniform(random, min, max));

  function jobOf(state: CrewPhase): string | null {
    return 'incidentId' in state ? state.incidentId : null;
  }

  function backToBeat(crew: Crew): void {
    if (patrols.unit(crew.unitId)?.motion.kind !== 'patrol') patrols.resumePatrol(crew.unitId);
  }

  function onUnit(unit: Unit): void {
    const crew = crews.get(unit.id);
    if (!crew) return;
    if (crew.busy) {
      // A report is in flight: its answer and this update may cross; judge the update after the answer.
      crew.pending = unit;
      return;
    }
    const job = jobOf(crew.state);
    if (unit.status === 'dispatched' && unit.incidentId && unit.incidentId !== job) {
      // 接警: a new job (also while driving back from the last one). The car pulls over to take it, so the
      // route computed at dispatch still starts where the car is.
      patrols.park(unit.id);
      crew.state = { phase: 'alerted', incidentId: unit.incidentId, dueAt: clock.now() + draw(acknowledgeDelayMs) };
      log.info({ unitId: unit.id, incidentId: unit.incidentId }, 'crew alerted to an assignment');
      return;
    }
    if (job && unit.incidentId !== job) {
      // The job was taken away (改派 or cancelled) or closed by someone else.
      log.info({ unitId: unit.id, incidentId: job, status: unit.status }, 'crew stood down by the server');
      backToBeat(crew);
      crew.state =
        unit.status === 'returning'
          ? { phase: 'returning', dueAt: clock.now() + draw(backInServiceMs) }
          : { phase: 'patrol' };
      return;
    }
    if (!job && unit.status === 'returning' && crew.state.phase === 'patrol') {
      crew.state = { phase: 'returning', dueAt: clock.now() + draw(backInServiceMs) };
    }
  }

  /** Outcome of a refused report: the server's own state will come as `unit:updated`; wait for it. */
  function refused(crew: Crew, what: string, error: { code: string; message: string }): void {
    if (error.code === 'UNAVAILABLE' || error.code === 'INTERNAL' || error.code === 'RATE_LIMITED') {
      // Transient: try the same step again in a few seconds.
      if ('dueAt' in crew.state) crew.state = { ...crew.state, dueAt: clock.now() + 3_000 };
      log.warn({ unitId: crew.unitId, what, code: error.code }, 'crew report not delivered; will retry');
      return;
    }
    counts.refused += 1;
    log.warn({ unitId: crew.unitId, what, code: error.code, message: error.message }, 'server refused a crew report');
    backToBeat(crew);
    crew.state = { phase: 'patrol' };
  }

  function driveSpeed(route: AssignmentRoute | null): number {
    const fromRoute =
      route?.roadDistanceM && route.driveTimeS && route.driveTimeS > 0
        ? (route.roadDistanceM / route.driveTimeS) * 3.6
        : responseKmh;
    return Math.min(140, Math.max(20, fromRoute * (1 + gaussian(random) * 0.05)));
  }

  async function step(crew: Crew): Promise<void> {
    const state = crew.state;
    const now = clock.now();
    switch (state.phase) {
      case 'patrol':
      case 'driving':
        if (state.phase === 'driving' && patrols.arrived(crew.unitId)) {
          const ack = await link.reportAssignment(crew.unitId, state.incidentId, 'on_scene');
          if (crew.state !== state) return;
          if (!ack.ok) return refused(crew, 'on_scene', ack.error);
          counts.onScene += 1;
          patrols.park(crew.unitId);
          crew.state = { phase: 'on_scene', incidentId: state.incidentId, dueAt: clock.now() + draw(handlingMs) };
        }
        return;
      case 'alerted': {
        if (now < state.dueAt) return;
        const ack = await link.reportAssignment(crew.unitId, state.incidentId, 'acknowledged');
        if (crew.state !== state) return;
        if (!ack.ok) return refused(crew, 'acknowledged', ack.error);
        counts.acknowledged += 1;
        const incident: LonLat = [ack.data.incident.lon, ack.data.incident.lat];
        const routed = await link.route(state.incidentId);
        if (crew.state !== state) return;
        const assignment = routed.ok ? routed.data.assignment : null;
        if (!routed.ok)
          log.warn({ unitId: crew.unitId, code: routed.error.code }, 'no route from the server; driving direct');
        // No road route (or none kept): head straight for the scene, as a crew with a map would.
        const route = assignment?.route && assignment.route.length > 0 ? [...assignment.route, incident] : [incident];
        crew.state = {
          phase: 'acknowledged',
          incidentId: state.incidentId,
          dueAt: clock.now() + draw(departDelayMs),
          route,
          speedKmh: driveSpeed(assignment),
        };
        return;
      }
      case 'acknowledged': {
        if (now < state.dueAt) return;
        const ack = await link.reportAssignment(crew.unitId, state.incidentId, 'en_route');
        if (crew.state !== state) return;
        if (!ack.ok) return refused(crew, 'en_route', ack.error);
        counts.enRoute += 1;
        patrols.driveRoute(crew.unitId, state.route, state.speedKmh);
        crew.state = { phase: 'driving', incidentId: state.incidentId };
        return;
      }
      case 'on_scene': {
        if (now < state.dueAt) return;
        const ack = await link.reportAssignment(crew.unitId, state.incidentId, 'cleared');
        if (crew.state !== state) return;
        if (!ack.ok) return refused(crew, 'cleared', ack.error);
        counts.cleared += 1;
        patrols.resumePatrol(crew.unitId);
        crew.state = { phase: 'returning', dueAt: clock.now() + draw(backInServiceMs) };
        return;
      }
      case 'returning': {
        if (now < state.dueAt) return;
        const ack = await link.reportUnit(crew.unitId, 'available');
        if (crew.state !== state) return;
        if (!ack.ok && ack.error.code !== 'INVALID_TRANSITION') return refused(crew, 'available', ack.error);
        if (ack.ok) counts.backInService += 1;
        crew.state = { phase: 'patrol' };
        return;
      }
    }
  }

  return {
    onUnit,
    tick() {
      for (const crew of crews.values()) {
        if (crew.busy || crew.state.phase === 'patrol') continue;
        crew.busy = step(crew)
          .catch((error: unknown) => {
            log.error({ unitId: crew.unitId, err: (error as Error).stack ?? String(error) }, 'crew step failed');
          })
          .finally(() => {
            crew.busy = null;
            const pending = crew.pending;
            crew.pending = null;
            if (pending) onUnit(pending);
          });
      }
    },
    phaseOf: (unitId) => crews.get(unitId)?.state,
    counts: () => ({ ...counts }),
    async idle() {
      for (;;) {
        const busy = [...crews.values()].map((c) => c.busy).filter((b): b is Promise<void> => b !== null);
        if (busy.length === 0) return;
        await Promise.all(busy);
      }
    },
  };
}
