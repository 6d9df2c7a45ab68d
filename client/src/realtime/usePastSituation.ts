import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue';
import type { PastSituation, SessionInfo, WireError } from '@beacon/shared';
import { connectOps, type OpsAuth, type OpsSocket } from './ops-socket.ts';

/** A rebuild reads the whole stream up to `at`: give it time. */
const AS_OF_TIMEOUT_MS = 30_000;
const RETRY_REFUSED_MS = 3000;

/**
 * The time machine's connection: its own `/ops` socket (the live situation store is never written), used to
 * ask `situation:asOf` for the time `load` names. Only the newest request's answer is kept, so a scrubber
 * dragged faster than the server answers settles on the time it stopped at. The server's clock offset comes
 * from the snapshot it sends on connect, so "now" on the scrubber is the server's. Refused credentials or an
 * ended session close the socket and call `onRefused`, as on the wall and the console.
 */
export function usePastSituation(
  auth: Ref<OpsAuth | null>,
  {
    onSession,
    onRefused,
  }: { onSession?: (session: SessionInfo) => void; onRefused?: (auth: OpsAuth, message: string) => void } = {},
) {
  const past = shallowRef<PastSituation | null>(null);
  const error = shallowRef<WireError | null>(null);
  const loading = ref(false);
  const connected = ref(false);
  /** Server clock minus local clock. */
  const serverSkewMs = ref(0);
  let socket: OpsSocket | null = null;
  let wanted: number | null = null;
  let sequence = 0;
  let retryTimer = 0;

  async function ask(at: number): Promise<void> {
    const s = socket;
    if (!s || !connected.value) return;
    const mine = ++sequence;
    loading.value = true;
    try {
      const answer = await s.timeout(AS_OF_TIMEOUT_MS).emitWithAck('situation:asOf', { at: Math.round(at) });
      if (mine !== sequence) return;
      if (answer.ok) {
        past.value = answer.data;
        error.value = null;
      } else {
        error.value = answer.error;
      }
    } catch {
      if (mine === sequence) error.value = { code: 'UNAVAILABLE', message: 'no answer from the server' };
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  /** Show the situation as of `at` (epoch ms, server time); asked again on every reconnect. */
  function load(at: number): void {
    wanted = at;
    void ask(at);
  }

  function close(): void {
    clearTimeout(retryTimer);
    socket?.removeAllListeners();
    socket?.disconnect();
    socket = null;
    connected.value = false;
  }

  function open(credentials: OpsAuth): void {
    const s = connectOps(credentials);
    socket = s;
    s.on('connect', () => {
      connected.value = true;
      if (wanted !== null) void ask(wanted);
      s.timeout(10_000)
        .emitWithAck('session:info', {})
        .then((answer) => {
          if (answer.ok && socket === s) onSession?.(answer.data);
        })
        .catch(() => undefined);
    });
    s.on('disconnect', (reason) => {
      connected.value = false;
      if (reason === 'io server disconnect') s.connect();
    });
    s.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      connected.value = false;
      if (socket !== s || s.active) return;
      if (err.data?.code === 'UNAUTHORIZED') {
        close();
        onRefused?.(credentials, err.message);
      } else {
        retryTimer = window.setTimeout(() => s.connect(), RETRY_REFUSED_MS);
      }
    });
    // The live feed is not shown here; the snapshot only tells the server's clock.
    s.on('situation:snapshot', (snapshot) => (serverSkewMs.value = snapshot.serverTime - Date.now()));
    s.on('situation:catchup', (catchup) => (serverSkewMs.value = catchup.serverTime - Date.now()));
    s.on('session:ended', ({ reason }) => {
      if (socket !== s) return;
      close();
      onRefused?.(credentials, reason);
    });
  }

  let mounted = false;
  onMounted(() => {
    mounted = true;
    if (auth.value) open(auth.value);
  });
  watch(
    () => (auth.value ? JSON.stringify(auth.value) : null),
    (now, before) => {
      if (!mounted || now === before) return;
      close();
      past.value = null;
      error.value = null;
      if (auth.value) open(auth.value);
    },
  );
  onBeforeUnmount(() => {
    mounted = false;
    close();
  });

  return { past, error, loading, connected, serverSkewMs, load };
}
