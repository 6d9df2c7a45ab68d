import {
  BeaconError,
  DEFAULT_PRIORITY,
  checkTransition,
  isOpenState,
  type AddAttachmentCommand,
  type AddNoteCommand,
  type Clock,
  type CreateIncidentCommand,
  type Incident,
  type IncidentState,
  type LinkIncidentsCommand,
  type MergeIncidentsCommand,
  type SetPriorityCommand,
  type SuperviseIncidentCommand,
  type Supervision,
  type TimelineEntry,
  type TransitionIncidentCommand,
  type Unit,
} from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { RoadNetwork } from '../roads/road-network.ts';
import type { Jurisdictions } from '../region/jurisdictions.ts';
import type { IncidentChange, IncidentStore, NewIncident } from './incident-store.ts';

/** A timeline line with the fields a kind does not use left empty. */
export function timelineEntry(
  entry: Partial<TimelineEntry> & Pick<TimelineEntry, 'at' | 'actor' | 'kind'>,
): TimelineEntry {
  return { from: null, to: null, text: null, url: null, ref: null, unitId: null, ...entry };
}

/** The unit status a unit takes when the incident it holds is taken from it. */
function releaseStatusFor(to: IncidentState): string {
  // Closed or cancelled while out: the crew drives back, free for a new job. Taken off to reassign: available.
  return to === 'assessed' ? 'available' : 'returning';
}

/**
 * The incident lifecycle: open incidents by hand or by rule, move them through 受理 → 研判 → 派单 → 出警 →
 * 到场 → 处置 → 办结 → 回访 (or cancel, merge), with notes, attachments, links, priority changes and 督办
 * flags. Every change is validated against the lifecycle (`checkTransition`), stamped by the injected clock,
 * attributed to an actor, written with its timeline lines in one compare-and-set, appended to the audit
 * stream, and fanned out as `incident:updated`.
 */
export function createIncidentLifecycle(deps: {
  clock: Clock;
  log: Logger;
  incidents: IncidentStore;
  units: UnitStore;
  fanout: Fanout;
  audit: AuditLog;
  roads: RoadNetwork;
  jurisdictions: Jurisdictions;
  /** Stamped on every incident a drill server opens. */
  drillId?: string | null;
}) {
  const { clock, log, incidents, units, fanout, audit, roads, jurisdictions } = deps;
  const drillId = deps.drillId ?? null;

  async function publishUnit(unitId: string | null): Promise<Unit | null> {
    if (!unitId) return null;
    const unit = await units.getUnit(unitId);
    if (unit) await fanout.publish('unit:updated', unit);
    return unit;
  }

  /** Apply a change worked out from the current incident, then record and announce it. */
  async function change(
    incidentId: string,
    action: string,
    actor: string,
    details: object,
    decide: (incident: Incident, now: number) => IncidentChange | null,
  ): Promise<Incident> {
    const now = clock.now();
    const { incident, changed } = await incidents.updateIncident(incidentId, (current) => {
      const c = decide(current, now);
      return c ? { ...c, fields: { updatedAt: now, ...c.fields } } : null;
    });
    if (changed) {
      await audit.append(action, actor, now, { incidentId, ...details });
      await fanout.publish('incident:updated', incident);
    }
    return incident;
  }

  function requireOpen(incident: Incident, what: string): void {
    if (!isOpenState(incident.state)) {
      throw new BeaconError('CONFLICT', `incident ${incident.id} is ${incident.state}; cannot ${what}`);
    }
  }

  return {
    /** Open an incident (rule or dispatcher). Jurisdiction and stake number are worked out from the point. */
    async open(
      input: Omit<NewIncident, 'jurisdiction' | 'stake'> & { stake?: string | null },
      { marker }: { marker?: string } = {},
    ): Promise<Incident> {
      const now = clock.now();
      const incident = await incidents.createIncident(
        {
          ...input,
          drillId: input.drillId ?? drillId,
          jurisdiction: jurisdictions.locate(input.lon, input.lat),
          stake:
            input.stake !== undefined
              ? input.stake
              : roads.stakeOf([input.lon, input.lat], { direction: input.direction ?? null }),
        },
        now,
        { marker },
      );
      await audit.append('incident:create', input.createdBy, now, {
        incidentId: incident.id,
        type: incident.type,
        priority: incident.priority,
      });
      log.info({ incidentId: incident.id, type: incident.type, by: input.createdBy }, 'incident opened');
      await fanout.publish('incident:created', incident);
      return incident;
    },

    /** A dispatcher opens an incident by hand. */
    async create(command: CreateIncidentCommand, actor = 'console'): Promise<{ incident: Incident }> {
      const incident = await this.open({
        type: command.type,
        priority: command.priority ?? DEFAULT_PRIORITY[command.type],
        lon: command.lon,
        lat: command.lat,
        description: command.description ?? null,
        direction: command.direction ?? null,
        createdBy: actor,
      });
      return { incident };
    },

    /** A manual step: 研判, 处置, 办结, 回访, cancel — validated; a unit holding the incident is let go when it ends. */
    async transition(
      command: TransitionIncidentCommand,
      actor = 'console',
    ): Promise<{ incident: Incident; unit: Unit | null }> {
      const reason = command.reason ?? null;
      let releasedUnit: string | null = null;
      const incident = await change(command.incidentId, 'incident:transition', actor, command, (current, now) => {
        const verdict = checkTransition(current.state, command.to, reason);
        if (!verdict.ok) throw new BeaconError(verdict.code, `incident ${current.id}: ${verdict.message}`);
        const fields: Partial<Incident> = { state: command.to };
        const letsGo = current.unitId !== null && (command.to === 'assessed' || !isOpenState(command.to));
        if (letsGo) fields.unitId = null;
        if (command.to === 'closed') fields.closedAt = now;
        if (command.to === 'feedback') fields.feedbackAt = now;
        if (command.to === 'cancelled') fields.endedAt = now;
        releasedUnit = letsGo ? current.unitId : null;
        return {
          fields,
          timeline: [
            timelineEntry({ at: now, actor, kind: 'transition', from: current.state, to: command.to, text: reason }),
          ],
          releaseUnit: letsGo ? { unitId: current.unitId!, status: releaseStatusFor(command.to) } : null,
        };
      });
      const unit = await publishUnit(releasedUnit);
      return { incident, unit };
    },

    async addNote(command: AddNoteCommand, actor = 'console'): Promise<{ incident: Incident }> {
      const incident = await change(command.incidentId, 'incident:note', actor, command, (_current, now) => ({
        fields: {},
        timeline: [timelineEntry({ at: now, actor, kind: 'note', text: command.text })],
      }));
      return { incident };
    },

    async addAttachment(command: AddAttachmentCommand, actor = 'console'): Promise<{ incident: Incident }> {
      const incident = await change(command.incidentId, 'incident:attachment', actor, command, (_current, now) => ({
        fields: {},
        timeline: [
          timelineEntry({ at: now, actor, kind: 'attachment', url: command.url, text: command.title ?? null }),
        ],
      }));
      return { incident };
    },

    /**
     * 并案: fold one incident into another. Both must be open and of the same drill (or both live); the one
     * folded in must not hold a unit (take it off first); its detections and links move to the target.
     */
    async merge(command: MergeIncidentsCommand, actor = 'console'): Promise<{ incident: Incident; into: Incident }> {
      if (command.incidentId === command.intoId)
        throw new BeaconError('INVALID', 'cannot merge an incident into itself');
      const target = await incidents.requireIncident(command.intoId);
      requireOpen(target, 'take a merge');
      let moved: Incident | null = null;
      const merged = await change(command.incidentId, 'incident:merge', actor, command, (current, now) => {
        requireOpen(current, 'be merged');
        if (current.drillId !== target.drillId)
          throw new BeaconError('FORBIDDEN', 'a drill incident and a live one cannot be merged');
        if (current.unitId) {
          throw new BeaconError(
            'CONFLICT',
            `incident ${current.id} holds unit ${current.unitId}; take it off the job first`,
          );
        }
        const verdict = checkTransition(current.state, 'merged', command.reason ?? null);
        if (!verdict.ok) throw new BeaconError(verdict.code, verdict.message);
        moved = current;
        return {
          fields: { state: 'merged', mergedInto: target.id, endedAt: now },
          timeline: [
            timelineEntry({
              at: now,
              actor,
              kind: 'merge',
              from: current.state,
              to: 'merged',
              ref: target.id,
              text: command.reason ?? null,
            }),
          ],
        };
      });
      const source = moved as Incident | null;
      const into = await change(command.intoId, 'incident:merged-in', actor, command, (current, now) => ({
        fields: {
          detections: current.detections + (source?.detections ?? 0),
          lastDetectedAt: Math.max(current.lastDetectedAt, source?.lastDetectedAt ?? 0),
          links: [...new Set([...current.links, ...(source?.links ?? []), merged.id])].filter(
            (id) => id !== current.id,
          ),
        },
        timeline: [timelineEntry({ at: now, actor, kind: 'merge', ref: merged.id, text: command.reason ?? null })],
      }));
      return { incident: merged, into };
    },

    /** Mark two incidents as related; both keep their own lifecycle. */
    async link(command: LinkIncidentsCommand, actor = 'console'): Promise<{ incident: Incident; other: Incident }> {
      if (command.incidentId === command.otherId) throw new BeaconError('INVALID', 'cannot link an incident to itself');
      const other = await incidents.requireIncident(command.otherId);
      const first = await incidents.requireIncident(command.incidentId);
      if (first.drillId !== other.drillId)
        throw new BeaconError('FORBIDDEN', 'a drill incident and a live one cannot be linked');
      const addLink = (id: string, ref: string) =>
        change(id, 'incident:link', actor, command, (current, now) =>
          current.links.includes(ref)
            ? null
            : {
                fields: { links: [...current.links, ref] },
                timeline: [timelineEntry({ at: now, actor, kind: 'link', ref })],
              },
        );
      const incident = await addLink(command.incidentId, command.otherId);
      const linked = await addLink(command.otherId, command.incidentId);
      return { incident, other: linked };
    },

    async setPriority(command: SetPriorityCommand, actor = 'console'): Promise<{ incident: Incident }> {
      const incident = await change(command.incidentId, 'incident:priority', actor, command, (current, now) => {
        requireOpen(current, 'change its priority');
        if (current.priority === command.priority) return null;
        return {
          fields: { priority: command.priority, priorityReason: command.reason },
          timeline: [
            timelineEntry({
              at: now,
              actor,
              kind: 'priority',
              text: `${current.priority} → ${command.priority}: ${command.reason}`,
            }),
          ],
        };
      });
      return { incident };
    },

    /** Raise a 督办 flag: by a supervisor (`manual`) or by the SLA sweeper for a missed deadline. */
    async supervise(incidentId: string, flag: Omit<Supervision, 'at' | 'escalatedTo'>): Promise<Incident> {
      return change(
        incidentId,
        'incident:supervise',
        flag.actor,
        { kind: flag.kind, reason: flag.reason },
        (current, now) => {
          if (flag.kind !== 'manual' && current.supervisions.some((s) => s.kind === flag.kind)) return null;
          const escalatedTo = current.jurisdiction
            ? (jurisdictions.parentOf(current.jurisdiction) ?? current.jurisdiction)
            : null;
          const supervision: Supervision = { ...flag, at: now, escalatedTo };
          return {
            fields: { supervisions: [...current.supervisions, supervision] },
            timeline: [
              timelineEntry({ at: now, actor: flag.actor, kind: 'supervision', text: flag.reason, ref: escalatedTo }),
            ],
          };
        },
      );
    },

    async superviseByHand(command: SuperviseIncidentCommand, actor = 'console'): Promise<{ incident: Incident }> {
      const current = await incidents.requireIncident(command.incidentId);
      requireOpen(current, 'be put under supervision');
      const incident = await this.supervise(command.incidentId, {
        kind: 'manual',
        dueAt: null,
        reason: command.reason,
        actor,
      });
      return { incident };
    },

    async timeline(incidentId: string): Promise<{ incident: Incident; timeline: TimelineEntry[] }> {
      const incident = await incidents.requireIncident(incidentId);
      return { incident, timeline: await incidents.timeline(incidentId) };
    },
  };
}
export type IncidentLifecycle = ReturnType<typeof createIncidentLifecycle>;
