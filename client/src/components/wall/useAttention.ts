import { onBeforeUnmount, ref, shallowRef, type ShallowRef } from 'vue';
import type { Candidate } from '@beacon/shared';
import type { OpsSocket } from '../../realtime/ops-socket.ts';
import { useSituationStore } from '../../stores/situation.ts';
import { AttentionQueue, shouldPreempt } from './attention.ts';

/** What the wall shows while a new P1 holds it. */
export interface AttentionFocus {
  incidentId: string;
  lon: number;
  lat: number;
  startedAt: number;
  holdMs: number;
  /** The three best units by drive time (`dispatch:recommend`); null while asked. */
  candidates: Candidate[] | null;
  /** Why there are no candidates, if there are none: the server refused, or timed out. */
  candidatesError: string | null;
}

/**
 * Attention preemption: a new P1 takes the wall (the map flies to it, the card shows its stake and the three
 * best units with drive times), holds it for `holdMs`, then gives it to the next queued P1 or back to the
 * overview. The map side is `map/CameraDirector.vue`, which follows `focus`.
 */
export function useAttention(socket: ShallowRef<OpsSocket | null>, holdMs: number) {
  const store = useSituationStore();
  const queue = new AttentionQueue();
  const focus = shallowRef<AttentionFocus | null>(null);
  const waiting = ref(0);
  let holdTimer = 0;

  function showNext(): void {
    clearTimeout(holdTimer);
    let id = queue.shift();
    // An incident that was merged away or is gone by the time its turn comes is skipped.
    while (id && !store.incidents[id]) id = queue.shift();
    waiting.value = queue.length;
    if (!id) {
      focus.value = null;
      return;
    }
    const incident = store.incidents[id]!;
    const current: AttentionFocus = {
      incidentId: id,
      lon: incident.lon,
      lat: incident.lat,
      startedAt: Date.now(),
      holdMs,
      candidates: null,
      candidatesError: null,
    };
    focus.value = current;
    void recommend(current);
    holdTimer = window.setTimeout(showNext, holdMs);
  }

  async function recommend(current: AttentionFocus): Promise<void> {
    const s = socket.value;
    let candidates: Candidate[] = [];
    let error: string | null = null;
    if (!s?.connected) error = 'OFFLINE';
    else {
      try {
        const answer = await s
          .timeout(10_000)
          .emitWithAck('dispatch:recommend', { incidentId: current.incidentId, limit: 3 });
        if (answer.ok) candidates = answer.data.candidates.slice(0, 3);
        else error = answer.error.code;
      } catch {
        error = 'TIMEOUT';
      }
    }
    if (focus.value?.incidentId !== current.incidentId) return;
    focus.value = { ...current, candidates, candidatesError: error };
  }

  const stop = store.onIncidentChanged((incident, previous) => {
    if (!shouldPreempt(incident, previous, Date.now() + store.clockSkewMs)) return;
    if (!queue.push(incident.id)) return;
    waiting.value = queue.length;
    if (!focus.value) showNext();
  });

  onBeforeUnmount(() => {
    stop();
    clearTimeout(holdTimer);
  });

  /** Let the wall go back to the overview now (e.g. a test, or an operator's key press). */
  function release(): void {
    showNext();
  }

  return { focus, waiting, release };
}
