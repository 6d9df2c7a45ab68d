import {
  RULE_TEXTS,
  BeaconError,
  DISPATCHABLE_STATUSES,
  isDispatchable,
  type AssignUnitCommand,
  ASSIGNABLE_STATES,
  type AssignmentRoute,
  type Candidate,
  type Clock,
  type Incident,
  type RecommendUnitsCommand,
  type ReportAssignmentCommand,
  type ReportUnitCommand,
  type Unit,
} from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { UnitStore } from '../units/unit-store.ts';
import { assignmentTransition, unitTransition } from './transitions.ts';
import { isLostSignal } from '../health/feed-rules.ts';
import type { RoadNetwork } from '../roads/road-network.ts';
import { createAssignmentStore } from './assignment-store.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { timelineEntry } from '../incidents/lifecycle-service.ts';

/** The candidate search around an incident widens through these radii until it has enough units. */
const SEARCH_RADII_M = [20_000, 60_000, 200_000];
/** Units considered per recommendation: more than shown, because the nearest by air is often not by road. */
const CONSIDER_PER_SHOWN = 4;

/**
 * Recommend, assign and follow patrol units. Candidates come from a GEOSEARCH with an expanding radius,
 * are filtered (available or returning, GPS alive), and ranked by drive time on the directed road graph; assignment is
 * one atomic Redis script.
 */
export function createDispatch(deps: {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  log: Logger;
  units: UnitStore;
  incidents: IncidentStore;
  fanout: Fanout;
  roads: RoadNetwork;
  audit: AuditLog;
  /** Units whose newest GPS fix is older than this have lost their signal and are not recommended. */
  lostSignalAfterMs: number;
}) {
  const { redis, keys, clock, log, units, incidents, fanout, roads, audit, lostSignalAfterMs } = deps;
  const assignments = createAssignmentStore({ redis, keys });

  /**
   * Work out and keep the drive the unit was just given, from where it is now. A failure here never undoes
   * the assignment: the terminal then shows the stake number and the map without a route.
   */
  async function recordRoute(incidentId: string, unitId: string, now: number): Promise<void> {
    try {
      const [incident, unit] = await Promise.all([incidents.getIncident(incidentId), units.getUnit(unitId)]);
      if (!incident || !unit) return;
      const best = roads.rankCandidates(
        { lon: incident.lon, lat: incident.lat, direction: incident.direction },
        [unit],
        1,
      )[0];
      if (!best) return;
      await assignments.saveAssignment({
        incidentId,
        unitId,
        computedAt: now,
        driveTimeS: best.driveTimeS,
        roadDistanceM: best.roadDistanceM,
        approximate: best.approximate,
        reason: best.reason,
        via: best.via,
        extraS: best.extraS,
        route: best.route,
      });
    } catch (error) {
      log.warn({ err: error, incidentId, unitId }, 'could not record the assignment route');
    }
  }

  async function publishBoth(incidentId: string, unitId: string): Promise<{ incident: Incident; unit: Unit }> {
    const [incident, unit] = await Promise.all([incidents.getIncident(incidentId), units.getUnit(unitId)]);
    if (!incident || !unit) throw new BeaconError('INTERNAL', 'record vanished after update');
    await fanout.publish('incident:updated', incident);
    await fanout.publish('unit:updated', unit);
    return { incident, unit };
  }

  return {
    /**
     * Dispatchable units (available, or returning from a cleared job) nearest to the incident by drive time.
     * Busy and off-duty units, and units whose GPS has gone quiet (we do not know where they are), are never
     * offered.
     */
    async recommendUnits(command: RecommendUnitsCommand): Promise<{ candidates: Candidate[] }> {
      const incident = await incidents.requireIncident(command.incidentId);
      const limit = command.limit ?? 5;
      const now = clock.now();
      let eligible: Unit[] = [];
      for (const radius of SEARCH_RADII_M) {
        const near = await units.unitsNear(incident.lon, incident.lat, radius, limit * CONSIDER_PER_SHOWN * 4);
        const found = await units.getUnits(near.map((n) => n.unitId));
        eligible = found.filter((u) => isDispatchable(u.status) && !isLostSignal(u.lastFixAt, now, lostSignalAfterMs));
        if (eligible.length >= limit * CONSIDER_PER_SHOWN) break;
      }
      const candidates = roads.rankCandidates(
        { lon: incident.lon, lat: incident.lat, direction: incident.direction },
        eligible,
        limit,
      );
      return { candidates };
    },

    /**
     * Send a unit (available or returning) to an incident. UNIT_UNAVAILABLE if the unit is busy or off duty,
     * CONFLICT if the incident is not open.
     */
    async assignUnit(command: AssignUnitCommand, actor = 'console'): Promise<{ incident: Incident; unit: Unit }> {
      const now = clock.now();
      const assessed = timelineEntry({
        at: now,
        actor,
        kind: 'transition',
        from: 'received',
        to: 'assessed',
        text: RULE_TEXTS.assessedOnDispatch,
      });
      const dispatched = timelineEntry({
        at: now,
        actor,
        kind: 'transition',
        from: 'assessed',
        to: 'dispatched',
        unitId: command.unitId,
      });
      await redis.assignUnit(
        keys.unit(command.unitId),
        keys.incident(command.incidentId),
        keys.incidentTimeline(command.incidentId),
        command.unitId,
        command.incidentId,
        now,
        DISPATCHABLE_STATUSES.join(','),
        ASSIGNABLE_STATES.join(','),
        JSON.stringify(assessed),
        JSON.stringify(dispatched),
      );
      log.info(command, 'unit assigned');
      await audit.append('dispatch:assign', actor, now, command);
      // Before the fan-out, so a terminal that hears of its assignment can already fetch the route.
      await recordRoute(command.incidentId, command.unitId, now);
      return publishBoth(command.incidentId, command.unitId);
    },

    /** The route the unit was given when it was assigned to this incident; null if it never was. */
    async assignmentRoute(incidentId: string): Promise<{ assignment: AssignmentRoute | null }> {
      await incidents.requireIncident(incidentId);
      return { assignment: await assignments.getAssignment(incidentId) };
    },

    /** A crew reports progress on its assignment: acknowledged, en route, on scene, cleared (then returning). */
    async reportAssignment(
      command: ReportAssignmentCommand,
      actor = 'console',
    ): Promise<{ incident: Incident; unit: Unit }> {
      const t = assignmentTransition(command.status);
      const now = clock.now();
      const before = await incidents.requireIncident(command.incidentId);
      const lines =
        t.incidentState && t.incidentState !== before.state
          ? [
              timelineEntry({
                at: now,
                actor,
                kind: 'transition',
                from: before.state,
                to: t.incidentState,
                unitId: command.unitId,
                // A crew may skip steps (on scene without en route; cleared straight from on scene): its report is the reason.
                text: RULE_TEXTS.crewReported(command.status),
              }),
            ]
          : [timelineEntry({ at: now, actor, kind: 'assignment', unitId: command.unitId, text: command.status })];
      await redis.reportAssignment(
        keys.unit(command.unitId),
        keys.incident(command.incidentId),
        keys.openIncidentsGeo,
        keys.incidentTimeline(command.incidentId),
        command.unitId,
        command.incidentId,
        t.from.join(','),
        t.unitStatus,
        t.incidentState ?? '',
        now,
        t.clears ? '1' : '0',
        t.stamp ?? '',
        ...lines.map((line) => JSON.stringify(line)),
      );
      log.info(command, 'assignment report');
      await audit.append('assignment:report', actor, now, command);
      return publishBoth(command.incidentId, command.unitId);
    },

    /** A crew reports without an incident: back in service, or off duty. */
    async reportUnit(command: ReportUnitCommand, actor = 'console'): Promise<{ unit: Unit }> {
      const t = unitTransition(command.status);
      const now = clock.now();
      await redis.reportUnit(keys.unit(command.unitId), command.unitId, t.from.join(','), t.unitStatus, now);
      log.info(command, 'unit report');
      await audit.append('unit:report', actor, now, command);
      const unit = await units.getUnit(command.unitId);
      if (!unit) throw new BeaconError('INTERNAL', 'record vanished after update');
      await fanout.publish('unit:updated', unit);
      return { unit };
    },
  };
}
export type Dispatch = ReturnType<typeof createDispatch>;
