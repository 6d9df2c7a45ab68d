import { type Clock, type Incident, RULE_TEXTS, type SlaPolicy } from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Alarms } from '../alarms/alarm-service.ts';
import { evaluateSla, newBreaches } from '../sla/sla.ts';
import { dailyDeadlines, newDailyBreaches } from '../sla/daily-cycle.ts';
import type { IncidentStore } from './incident-store.ts';
import type { IncidentLifecycle } from './lifecycle-service.ts';

/**
 * The clock-driven side of incidents and alarms: every `everyMs` it raises a 督办 for each SLA timer and each
 * daily-cycle deadline an open incident has just missed (once per kind: the flag stays on the incident),
 * and closes alarms that went quiet. Several servers may run it at once: a flag is raised under the
 * incident's compare-and-set and an alarm is closed by one script, so each happens once.
 */
export function createDeadlineWatch(deps: {
  clock: Clock;
  log: Logger;
  incidents: IncidentStore;
  lifecycle: IncidentLifecycle;
  alarms: Alarms;
  /** Resident notices whose receipts are collected on each sweep. */
  broadcasts?: { pollReceipts(): Promise<number> };
  policy: SlaPolicy;
}) {
  const { clock, log, incidents, lifecycle, alarms, policy } = deps;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;

  async function superviseIncident(incident: Incident, now: number): Promise<number> {
    let raised = 0;
    const sla = evaluateSla(incident, policy, now);
    for (const kind of newBreaches(incident, policy, now)) {
      const timerState = sla[kind];
      const target = policy[incident.priority];
      const limit = kind === 'dispatch' ? target.dispatchMs : kind === 'arrival' ? target.arrivalMs : target.closureMs;
      await lifecycle.supervise(incident.id, {
        kind,
        dueAt: timerState?.dueAt ?? null,
        reason: RULE_TEXTS.slaMissed(incident.priority, kind, Math.round((limit ?? 0) / 60_000)),
        actor: 'rule:sla',
      });
      raised += 1;
    }
    const daily = dailyDeadlines(incident.createdAt);
    for (const kind of newDailyBreaches(incident, now)) {
      await lifecycle.supervise(incident.id, {
        kind,
        dueAt: kind === 'daily_assign' ? daily.assignBy : daily.closeBy,
        reason: kind === 'daily_assign' ? RULE_TEXTS.dailyAssignMissed : RULE_TEXTS.dailyCloseMissed,
        actor: 'rule:daily-cycle',
      });
      raised += 1;
    }
    return raised;
  }

  /** One pass: 督办 for missed deadlines, then quiet alarms. Returns what it did, for tests and logs. */
  async function sweep(): Promise<{ supervised: number; alarmsClosed: number }> {
    const now = clock.now();
    let supervised = 0;
    for (const incident of await incidents.listOpen()) {
      try {
        supervised += await superviseIncident(incident, now);
      } catch (error) {
        log.warn({ err: error, incidentId: incident.id }, 'could not raise supervision');
      }
    }
    const alarmsClosed = await alarms.closeQuiet();
    await deps.broadcasts?.pollReceipts();
    if (supervised > 0) log.info({ supervised }, 'deadlines missed: supervision raised');
    return { supervised, alarmsClosed };
  }

  return {
    sweep,
    start(everyMs: number): void {
      timer ??= setInterval(() => {
        if (running) return;
        running = sweep()
          .then(() => undefined)
          .catch((error: unknown) => log.warn({ err: error }, 'deadline sweep failed'))
          .finally(() => {
            running = null;
          });
      }, everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type DeadlineWatch = ReturnType<typeof createDeadlineWatch>;
