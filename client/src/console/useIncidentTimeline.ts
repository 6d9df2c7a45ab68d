import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { Alarm, Incident, TimelineEntry, WireError } from '@beacon/shared';
import type { OpsSocket } from '../realtime/ops-socket.ts';
import { sendCommand } from './commands.ts';

/**
 * The selected incident's timeline and correlated alarms (`incident:timeline`), loaded on selection, again on
 * every `incident:updated` of that incident and on reconnect; `alarm:changed` of its alarms is applied as it
 * comes. A reply for an incident no longer selected is dropped.
 */
export function useIncidentTimeline(socket: ShallowRef<OpsSocket | null>, incidentId: Ref<string | null>) {
  const timeline = shallowRef<TimelineEntry[]>([]);
  const alarms = shallowRef<Alarm[]>([]);
  const loading = ref(false);
  const error = shallowRef<WireError | null>(null);
  let sequence = 0;

  async function refresh(): Promise<void> {
    const id = incidentId.value;
    const mine = ++sequence;
    if (!id) {
      timeline.value = [];
      alarms.value = [];
      return;
    }
    loading.value = true;
    const response = await sendCommand(socket.value, 'incident:timeline', { incidentId: id });
    if (mine !== sequence) return;
    loading.value = false;
    if (response.ok) {
      timeline.value = response.data.timeline;
      alarms.value = response.data.alarms;
      error.value = null;
    } else {
      error.value = response.error;
    }
  }

  const onIncident = (incident: Incident) => {
    if (incident.id === incidentId.value) void refresh();
  };
  const onAlarm = (alarm: Alarm) => {
    if (alarm.incidentId !== incidentId.value) return;
    const others = alarms.value.filter((a) => a.id !== alarm.id);
    alarms.value = [alarm, ...others].sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  };
  const onConnect = () => void refresh();

  watch(
    socket,
    (current, previous) => {
      previous?.off('incident:updated', onIncident);
      previous?.off('alarm:changed', onAlarm);
      previous?.off('connect', onConnect);
      current?.on('incident:updated', onIncident);
      current?.on('alarm:changed', onAlarm);
      current?.on('connect', onConnect);
      if (current?.connected) void refresh();
    },
    { immediate: true },
  );
  watch(incidentId, () => {
    timeline.value = [];
    alarms.value = [];
    void refresh();
  });
  onBeforeUnmount(() => {
    socket.value?.off('incident:updated', onIncident);
    socket.value?.off('alarm:changed', onAlarm);
    socket.value?.off('connect', onConnect);
  });

  return { timeline, alarms, loading, error, refresh };
}
