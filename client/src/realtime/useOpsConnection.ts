import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import type { SessionInfo, StoredEvent } from '@beacon/shared';
import { useSituationStore } from '../stores/situation.ts';
import { useFeedHealthStore } from '../stores/feed-health.ts';
import { connectOps, type OpsAuth, type OpsSocket } from './ops-socket.ts';

/** How long a refused handshake caused by the server itself (not the credentials) waits before trying again. */
const RETRY_REFUSED_MS = 3000;

/**
 * Keep the situation store in sync with the server while the component lives and `auth` is set. On a first
 * connect the server sends a snapshot, which replaces local state before deltas apply; on a reconnect the
 * screen names the newest event it applied and gets either the events it missed (`situation:catchup`,
 * applied in order, duplicates dropped) or, when they are no longer kept, a snapshot again. A drop of under
 * two minutes is recovered by Socket.IO itself (the missed packets). After each connect the screen asks who
 * it is signed in as (`onSession`). A change of `auth` reconnects with a clean store, so one sign-in never
 * sees what the previous one saw; null disconnects. When the server refuses the credentials (UNAUTHORIZED)
 * or ends the session (`session:ended`), the socket stays down and `onRefused` is called. `onOtherEvents`
 * receives the caught-up events that are not part of the situation (work orders, notices).
 */
export function useOpsConnection(
  auth: Ref<OpsAuth | null>,
  {
    onSession,
    onRefused,
    onOtherEvents,
  }: {
    onSession?: (session: SessionInfo) => void;
    onRefused?: (auth: OpsAuth, message: string) => void;
    onOtherEvents?: (events: StoredEvent[]) => void;
  } = {},
) {
  const store = useSituationStore();
  const health = useFeedHealthStore();
  const socket = shallowRef<OpsSocket | null>(null);
  let retryTimer = 0;

  function close(): void {
    clearTimeout(retryTimer);
    socket.value?.removeAllListeners();
    socket.value?.disconnect();
    socket.value = null;
  }

  function open(credentials: OpsAuth): void {
    const s = connectOps(credentials, location.origin, () => store.lastEventId);
    socket.value = s;
    store.connection = 'connecting';
    s.on('connect', () => {
      store.connection = 'connected';
      if (!onSession) return;
      s.timeout(10_000)
        .emitWithAck('session:info', {})
        .then((answer) => {
          if (answer.ok && socket.value === s) onSession(answer.data);
        })
        .catch(() => undefined);
    });
    s.on('disconnect', (reason) => {
      store.connection = 'offline';
      // The server cut this connection: connecting again tells whether the credentials still hold.
      if (reason === 'io server disconnect') s.connect();
    });
    s.io.on('reconnect_attempt', () => {
      if (store.connection !== 'connected') store.connection = 'connecting';
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      store.connection = 'offline';
      if (socket.value !== s || s.active) return;
      // A handshake refusal: socket.io leaves it to us.
      if (err.data?.code === 'UNAUTHORIZED') {
        close();
        onRefused?.(credentials, err.message);
      } else {
        retryTimer = window.setTimeout(() => s.connect(), RETRY_REFUSED_MS);
      }
    });
    s.on('situation:snapshot', (snapshot) => store.applySnapshot(snapshot));
    s.on('situation:catchup', (catchup) => {
      const others = store.applyCatchup(catchup);
      if (others.length > 0) onOtherEvents?.(others);
    });
    s.on('unit:updated', (unit, meta) => store.applyEvent('unit:updated', unit, meta?.id));
    s.on('incident:created', (incident, meta) => store.applyEvent('incident:created', incident, meta?.id));
    s.on('incident:updated', (incident, meta) => store.applyEvent('incident:updated', incident, meta?.id));
    s.on('alert:changed', (payload, meta) => store.applyEvent('alert:changed', payload, meta?.id));
    s.on('alarm:changed', (alarm, meta) => store.applyEvent('alarm:changed', alarm, meta?.id));
    // Not part of the situation, but their ids move the catch-up point (other stores listen themselves).
    s.on('order:changed', (_order, meta) => store.applyEvent('order:changed', null, meta?.id));
    s.on('broadcast:changed', (_broadcast, meta) => store.applyEvent('broadcast:changed', null, meta?.id));
    s.on('units:moved', ({ positions }) => store.applyPositions(positions));
    s.on('health:updated', (summary) => health.applySummary(summary));
    s.on('server:status', (status) => {
      store.serverStatus = status;
      store.touch();
    });
    s.on('session:ended', ({ reason }) => {
      if (socket.value !== s) return;
      close();
      store.connection = 'offline';
      onRefused?.(credentials, reason);
    });
  }

  let pruneTimer = 0;
  let mounted = false;
  onMounted(() => {
    mounted = true;
    pruneTimer = window.setInterval(() => store.pruneEnded(Date.now() + store.clockSkewMs), 10 * 60_000);
    if (auth.value) open(auth.value);
    else store.connection = 'offline';
  });
  watch(
    () => (auth.value ? JSON.stringify(auth.value) : null),
    (now, before) => {
      if (!mounted || now === before) return;
      close();
      store.clear();
      health.clear();
      if (auth.value) open(auth.value);
      else store.connection = 'offline';
    },
  );

  onBeforeUnmount(() => {
    mounted = false;
    clearInterval(pruneTimer);
    close();
  });

  return { socket, store };
}
