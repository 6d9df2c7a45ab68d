import { onBeforeUnmount, onMounted, shallowRef } from 'vue';
import { useSituationStore } from '../stores/situation.ts';
import { useFeedHealthStore } from '../stores/feed-health.ts';
import { connectOps, type OpsSocket } from './ops-socket.ts';

/**
 * Keep the situation store in sync with the server for as long as the component lives.
 * On every (re)connect the server sends a snapshot first, which replaces local state before deltas apply.
 */
export function useOpsConnection() {
  const store = useSituationStore();
  const health = useFeedHealthStore();
  const socket = shallowRef<OpsSocket | null>(null);

  let pruneTimer = 0;
  onMounted(() => {
    pruneTimer = window.setInterval(() => store.pruneEnded(Date.now() + store.clockSkewMs), 10 * 60_000);
    const s = connectOps();
    socket.value = s;
    store.connection = 'connecting';
    s.on('connect', () => {
      store.connection = 'connected';
    });
    s.on('disconnect', () => {
      store.connection = 'offline';
    });
    s.io.on('reconnect_attempt', () => {
      if (store.connection !== 'connected') store.connection = 'connecting';
    });
    s.on('connect_error', () => {
      store.connection = 'offline';
    });
    s.on('situation:snapshot', (snapshot) => store.applySnapshot(snapshot));
    s.on('unit:updated', (unit) => store.applyUnit(unit));
    s.on('incident:created', (incident) => store.applyIncident(incident));
    s.on('incident:updated', (incident) => store.applyIncident(incident));
    s.on('units:moved', ({ positions }) => store.applyPositions(positions));
    s.on('alert:changed', (payload) => store.applyWeatherAlert(payload));
    s.on('alarm:changed', (alarm) => store.applyAlarm(alarm));
    s.on('health:updated', (summary) => health.applySummary(summary));
  });

  onBeforeUnmount(() => {
    clearInterval(pruneTimer);
    socket.value?.disconnect();
    socket.value = null;
  });

  return { socket, store };
}
