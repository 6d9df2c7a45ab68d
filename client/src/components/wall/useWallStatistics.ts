import { onBeforeUnmount, ref, shallowRef, watch, type ShallowRef } from 'vue';
import type { IncidentStatistics } from '@beacon/shared';
import type { OpsSocket } from '../../realtime/ops-socket.ts';
import { useSituationStore } from '../../stores/situation.ts';

/** The statistics are asked again this often, and soon after incidents change (at most once per `SETTLE_MS`). */
export const STATISTICS_REFRESH_MS = 30_000;
const SETTLE_MS = 3000;
/** Statistics older than this are called out on their panels. */
export const STATISTICS_STALE_MS = 75_000;

/**
 * Today's incident statistics (`incidents:statistics`, docs/STATISTICS.md) for the wall's KPI tiles and
 * charts: asked on connect, every 30 s, and a few seconds after incidents change. `fetchedAt` is the local
 * time of the last answer, for the panels' data age; a failed ask keeps the last figures.
 */
export function useWallStatistics(socket: ShallowRef<OpsSocket | null>) {
  const store = useSituationStore();
  const statistics = shallowRef<IncidentStatistics | null>(null);
  const fetchedAt = ref<number | null>(null);
  const error = ref<string | null>(null);
  let inFlight = false;
  let settleTimer = 0;

  async function refresh(): Promise<void> {
    const s = socket.value;
    if (!s?.connected || inFlight) return;
    inFlight = true;
    try {
      const answer = await s.timeout(10_000).emitWithAck('incidents:statistics', { window: 'today' });
      if (answer.ok) {
        statistics.value = answer.data;
        fetchedAt.value = Date.now();
        error.value = null;
      } else {
        error.value = answer.error.code;
      }
    } catch {
      error.value = 'TIMEOUT';
    } finally {
      inFlight = false;
    }
  }

  function soon(): void {
    if (settleTimer) return;
    settleTimer = window.setTimeout(() => {
      settleTimer = 0;
      void refresh();
    }, SETTLE_MS);
  }

  const timer = window.setInterval(() => void refresh(), STATISTICS_REFRESH_MS);
  const stopConnection = watch(
    () => store.connection,
    (state) => state === 'connected' && soon(),
    { immediate: true },
  );
  const stopIncidents = watch(() => store.incidents, soon);

  onBeforeUnmount(() => {
    clearInterval(timer);
    clearTimeout(settleTimer);
    stopConnection();
    stopIncidents();
  });

  return { statistics, fetchedAt, error, refresh };
}
