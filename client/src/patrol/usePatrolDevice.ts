import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import {
  fail,
  type Ack,
  type DeviceInfo,
  type ErrorCode,
  type GpsReportedInput,
  type Incident,
  type IngestResult,
  type ReportAssignmentCommand,
  type ReportUnitCommand,
  type Unit,
} from '@beacon/shared';
import { connectIngest, type IngestSocket } from '../realtime/ingest-socket.ts';
import { clearCredentials, loadCredentials, saveCredentials, type TerminalCredentials } from './credentials.ts';

/** The terminal's own link to the server, as the crew should see it. */
export type DeviceLinkState = 'connecting' | 'connected' | 'offline';

/** Why a login or a report failed: a wire code, or the terminal's own `WRONG_UNIT`. */
export interface TerminalError {
  code: ErrorCode | 'WRONG_UNIT';
  message: string;
}

const ACK_TIMEOUT_MS = 10_000;
const RETRY_UNAVAILABLE_MS = 3000;

/**
 * The patrol terminal logged in as its device on `/ingest`: login with the device key (remembered per unit
 * until sign-out), a binding check (`device:info` must name this unit), then crew reports and GPS over that
 * connection. A refused key (`UNAUTHORIZED`, also after a revocation) signs the terminal out with the reason.
 */
export function usePatrolDevice(unitId: string) {
  /** The credentials in use; null when signed out. */
  const credentials = shallowRef<TerminalCredentials | null>(null);
  /** True once the server accepted them (now, or on an earlier visit: they were stored only then). */
  const accepted = ref(false);
  const link = ref<DeviceLinkState>('connecting');
  const device = shallowRef<DeviceInfo | null>(null);
  const error = shallowRef<TerminalError | null>(null);
  const socket = shallowRef<IngestSocket | null>(null);
  let retryTimer = 0;

  function closeSocket(): void {
    clearTimeout(retryTimer);
    socket.value?.removeAllListeners();
    socket.value?.disconnect();
    socket.value = null;
  }

  function refuse(reason: TerminalError): void {
    closeSocket();
    clearCredentials(unitId);
    credentials.value = null;
    accepted.value = false;
    device.value = null;
    error.value = reason;
  }

  async function checkBinding(s: IngestSocket, creds: TerminalCredentials): Promise<void> {
    const info = await s
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('device:info', {})
      .catch(() => null);
    if (socket.value !== s || !info) return;
    if (!info.ok) {
      error.value = info.error;
      return;
    }
    if (info.data.kind !== 'patrol' || info.data.unitId !== unitId) {
      refuse({
        code: 'WRONG_UNIT',
        message: `${info.data.deviceId}: ${info.data.kind}${info.data.unitId ? ` / ${info.data.unitId}` : ''}`,
      });
      return;
    }
    device.value = info.data;
    accepted.value = true;
    error.value = null;
    link.value = 'connected';
    saveCredentials(unitId, creds);
  }

  /** Connect as the device. Resolves once the server accepted (true) or refused (false) the credentials. */
  function signIn(creds: TerminalCredentials, { remembered = false } = {}): Promise<boolean> {
    closeSocket();
    credentials.value = creds;
    accepted.value = remembered;
    error.value = null;
    link.value = 'connecting';
    const s = connectIngest(creds);
    socket.value = s;
    return new Promise((resolve) => {
      const settle = () => {
        if (accepted.value) resolve(true);
        else if (!credentials.value) resolve(false);
      };
      s.on('connect', () => {
        void checkBinding(s, creds).then(settle);
      });
      s.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
        if (socket.value !== s) return;
        link.value = 'offline';
        if (err.data?.code === 'UNAUTHORIZED') {
          refuse({ code: 'UNAUTHORIZED', message: err.data.message ?? err.message });
          settle();
        } else if (err.data?.code === 'UNAVAILABLE') {
          // The server could not check the key (its Redis is down): socket.io will not retry this by itself.
          error.value = { code: 'UNAVAILABLE', message: err.data.message ?? err.message };
          retryTimer = window.setTimeout(() => s.connect(), RETRY_UNAVAILABLE_MS);
        } else {
          error.value = { code: 'UNAVAILABLE', message: err.message };
        }
      });
      s.on('disconnect', (reason) => {
        if (socket.value !== s) return;
        link.value = 'offline';
        // The server cut us off (e.g. the key was revoked): reconnecting tells which, UNAUTHORIZED or not.
        if (reason === 'io server disconnect') s.connect();
      });
    });
  }

  function signOut(): void {
    closeSocket();
    clearCredentials(unitId);
    credentials.value = null;
    accepted.value = false;
    device.value = null;
    error.value = null;
  }

  /** Emit with an acknowledgement, or fail at once when the link is down (nothing is queued for later). */
  async function request<T>(send: (s: IngestSocket) => Promise<Ack<T>>): Promise<Ack<T>> {
    const s = socket.value;
    if (!s?.connected) return fail('UNAVAILABLE', 'the terminal is offline');
    try {
      return await send(s);
    } catch {
      return fail('UNAVAILABLE', 'no answer from the server');
    }
  }

  onMounted(() => {
    const stored = loadCredentials(unitId);
    if (stored) void signIn(stored, { remembered: true });
  });
  onBeforeUnmount(closeSocket);

  return {
    credentials,
    accepted,
    link,
    device,
    error,
    signIn,
    signOut,
    reportAssignment: (command: ReportAssignmentCommand) =>
      request<{ incident: Incident; unit: Unit }>((s) =>
        s.timeout(ACK_TIMEOUT_MS).emitWithAck('assignment:report', command),
      ),
    reportUnit: (command: ReportUnitCommand) =>
      request<{ unit: Unit }>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('unit:report', command)),
    sendGps: (fix: GpsReportedInput) =>
      request<IngestResult>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('gps:reported', fix)),
  };
}
export type PatrolDevice = ReturnType<typeof usePatrolDevice>;
