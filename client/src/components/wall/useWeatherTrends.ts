import { computed, onBeforeUnmount, ref, shallowRef, watch, type ShallowRef } from 'vue';
import type { OpsSocket } from '../../realtime/ops-socket.ts';
import { useSituationStore } from '../../stores/situation.ts';
import { TREND_COLORS, type StationTrend } from '../charts/options.ts';

/** The trends are asked again this often (stations report about once a minute or faster). */
export const TRENDS_REFRESH_MS = 60_000;
/** How far back the trend chart looks. */
export const TRENDS_WINDOW_MS = 6 * 3600_000;

/**
 * Visibility and road-temperature trends (`weather:history`) of the stations with a warning up, the most
 * severe first and at most as many as the chart has colours: asked when that set of stations changes and
 * every minute. Empty while no warning is up; a failed ask keeps the last trends.
 */
export function useWeatherTrends(socket: ShallowRef<OpsSocket | null>) {
  const store = useSituationStore();
  const trends = shallowRef<StationTrend[]>([]);
  const fetchedAt = ref<number | null>(null);
  const error = ref<string | null>(null);
  const stationIds = computed(() =>
    store.weatherAlertList.slice(0, TREND_COLORS.length).map((alert) => alert.stationId),
  );
  let asked = 0;

  async function refresh(): Promise<void> {
    const s = socket.value;
    const ids = stationIds.value;
    if (ids.length === 0) {
      trends.value = [];
      return;
    }
    if (!s?.connected) return;
    const ask = ++asked;
    try {
      const answer = await s
        .timeout(10_000)
        .emitWithAck('weather:history', { stationIds: ids, sinceMs: Date.now() - TRENDS_WINDOW_MS });
      // An answer for a set of stations that has changed since is dropped; the newer ask answers.
      if (ask !== asked) return;
      if (answer.ok) {
        const stations: StationTrend[] = answer.data.stations;
        const byId = new Map(stations.map((station) => [station.stationId, station]));
        trends.value = ids.map((id) => byId.get(id) ?? { stationId: id, readings: [] });
        fetchedAt.value = Date.now();
        error.value = null;
      } else {
        error.value = answer.error.code;
      }
    } catch {
      error.value = 'TIMEOUT';
    }
  }

  const timer = window.setInterval(() => void refresh(), TRENDS_REFRESH_MS);
  const stopStations = watch(
    () => stationIds.value.join(','),
    () => void refresh(),
    { immediate: true },
  );
  const stopConnection = watch(
    () => store.connection,
    (state) => state === 'connected' && void refresh(),
  );
  onBeforeUnmount(() => {
    clearInterval(timer);
    stopStations();
    stopConnection();
  });

  return { trends, fetchedAt, error, refresh };
}
