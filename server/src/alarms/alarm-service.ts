import { BeaconError, type Alarm, type AlarmActionCommand, type Clock } from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { AlarmSignal, AlarmStore } from './alarm-store.ts';

/**
 * Alarms as the rest of Beacon sees them: raised by the rules, acknowledged or cleared by people, closed by
 * the sweeper after `quietMs` without a repeat. Every change is fanned out as `alarm:changed`; people's
 * actions go to the audit stream.
 */
export function createAlarms(deps: {
  store: AlarmStore;
  clock: Clock;
  log: Logger;
  fanout: Fanout;
  audit: AuditLog;
  quietMs: number;
  /** Stamped on every alarm a drill server raises. */
  drillId?: string | null;
}) {
  const { store, clock, log, fanout, audit, quietMs } = deps;
  const drillId = deps.drillId ?? null;

  async function publish(alarmId: string): Promise<Alarm | null> {
    const alarm = await store.getAlarm(alarmId);
    if (alarm) await fanout.publish('alarm:changed', alarm);
    return alarm;
  }

  return {
    store,

    /** Count a signal. New alarms are announced; repeats only update the stored count (no fan-out storm). */
    async raise(signal: AlarmSignal, options: { marker?: string } = {}): Promise<{ alarm: Alarm; isNew: boolean }> {
      const result = await store.raise({ drillId, ...signal }, clock.now(), options);
      if (result.isNew) await fanout.publish('alarm:changed', result.alarm);
      return result;
    },

    /** The condition behind an alarm has cleared (a weather hazard went down). */
    async clearedByRule(alarmId: string): Promise<void> {
      if (await store.close(alarmId, clock.now(), 'cleared')) await publish(alarmId);
    },

    async act(command: AlarmActionCommand, actor = 'console'): Promise<{ alarm: Alarm }> {
      const now = clock.now();
      const alarm = await store.getAlarm(command.alarmId);
      if (!alarm) throw new BeaconError('NOT_FOUND', `alarm ${command.alarmId} does not exist`);
      if (alarm.state === 'closed') throw new BeaconError('CONFLICT', `alarm ${alarm.id} is already closed`);
      const done =
        command.action === 'acknowledge'
          ? await store.acknowledge(alarm.id, now, actor)
          : await store.close(alarm.id, now, actor);
      if (!done) throw new BeaconError('CONFLICT', `alarm ${alarm.id} is ${alarm.state}; cannot ${command.action} it`);
      await audit.append(`alarm:${command.action}`, actor, now, command);
      const changed = await publish(alarm.id);
      if (!changed) throw new BeaconError('INTERNAL', 'alarm vanished after update');
      return { alarm: changed };
    },

    /** Close every alarm whose last signal is older than the quiet period. Returns how many closed. */
    async closeQuiet(): Promise<number> {
      const now = clock.now();
      let closed = 0;
      for (const alarm of await store.listOpen()) {
        if (now - alarm.lastSeenAt < quietMs) continue;
        if (await store.close(alarm.id, now, 'quiet', now - quietMs)) {
          closed += 1;
          log.info({ alarmId: alarm.id, source: alarm.source, type: alarm.type }, 'alarm closed after a quiet period');
          await publish(alarm.id);
        }
      }
      return closed;
    },
  };
}
export type Alarms = ReturnType<typeof createAlarms>;
