import { onBeforeUnmount, ref } from 'vue';

/** A ref holding Date.now(), refreshed every `intervalMs`, for clocks and timers on screen. */
export function useNow(intervalMs = 1000) {
  const now = ref(Date.now());
  const timer = window.setInterval(() => (now.value = Date.now()), intervalMs);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
