import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';
import type { Unit } from '@beacon/shared';
import type { AlertTone, ToneOutcome } from './alert-tone.ts';

/** While an assignment waits for its acknowledgement, the tone sounds again this often. */
const REPEAT_MS = 15_000;

/**
 * A new assignment alerts the crew until they acknowledge it: the tone (and a vibration on phones) at once
 * and every 15 s, and `alerting` for a flashing banner. When the browser blocks sound (no gesture yet since
 * the page loaded), the next tap anywhere unlocks it and sounds the pending alert.
 */
export function useAssignmentAlert(unit: Ref<Unit | null>, tone: AlertTone) {
  /** The incident the crew must acknowledge, while the unit is dispatched and has not reacted yet. */
  const pendingIncidentId = computed(() =>
    unit.value?.status === 'dispatched' && unit.value.incidentId ? unit.value.incidentId : null,
  );
  const alerting = computed(() => pendingIncidentId.value !== null);
  const sound = ref<ToneOutcome | null>(null);
  let repeatTimer = 0;

  async function ring(): Promise<void> {
    if (!alerting.value) return;
    sound.value = await tone.play();
    try {
      navigator.vibrate?.([400, 150, 400, 150, 400]);
    } catch {
      // Vibration is a courtesy; some browsers throw without a gesture.
    }
  }

  watch(
    pendingIncidentId,
    (incidentId) => {
      clearInterval(repeatTimer);
      repeatTimer = 0;
      if (!incidentId) return;
      void ring();
      repeatTimer = window.setInterval(() => void ring(), REPEAT_MS);
    },
    { immediate: true },
  );

  function onGesture(): void {
    tone.unlock();
    if (sound.value === 'blocked') void ring();
  }
  onMounted(() => document.addEventListener('pointerdown', onGesture, { capture: true }));
  onBeforeUnmount(() => {
    clearInterval(repeatTimer);
    document.removeEventListener('pointerdown', onGesture, { capture: true });
  });

  return { alerting, pendingIncidentId, sound };
}
