import { computed, ref, watch, type ComputedRef } from 'vue';
import { useSituationStore } from '../../stores/situation.ts';

/** A drop shorter than this (a reconnect, a server restart) is not worth a banner across the wall. */
export const OFFLINE_GRACE_MS = 4000;

/**
 * Why the wall's data may not be current: `offline` (the server has been unreachable for a few seconds),
 * `redis` (the server says it cannot reach Redis), or null while all is well.
 */
export function useDegraded(): ComputedRef<'offline' | 'redis' | null> {
  const store = useSituationStore();
  const offlineLong = ref(false);
  let timer = 0;
  watch(
    () => store.connection === 'connected',
    (connected) => {
      clearTimeout(timer);
      if (connected) offlineLong.value = false;
      else timer = window.setTimeout(() => (offlineLong.value = true), OFFLINE_GRACE_MS);
    },
    { immediate: true },
  );
  return computed(() => {
    if (offlineLong.value && store.connection !== 'connected') return 'offline';
    if (store.connection === 'connected' && store.serverStatus?.redis === 'down') return 'redis';
    return null;
  });
}
