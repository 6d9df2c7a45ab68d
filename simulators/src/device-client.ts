import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  INGEST_NAMESPACE,
  type Ack,
  type BatchItemInput,
  type ErrorCode,
  type GpsReportedInput,
  type IngestClientToServerEvents,
  type IngestResult,
  type IngestServerToClientEvents,
  type PedestrianDetectedInput,
  type WeatherObservedInput,
} from '@beacon/shared';
import type { SimLogger } from './log.ts';

type IngestSocket = Socket<IngestServerToClientEvents, IngestClientToServerEvents>;

/** The single-event kinds a device sends, with their payloads. */
export interface SingleEvents {
  'pedestrian:detected': PedestrianDetectedInput;
  'weather:observed': WeatherObservedInput;
  'gps:reported': GpsReportedInput;
}

/** The events a patrol terminal sends that are commands, not device events. */
export type TerminalCommand = 'assignment:report' | 'unit:report' | 'device:info';
/** What the server answers to a terminal command. */
export type TerminalResult<E extends TerminalCommand> = Parameters<IngestClientToServerEvents[E]>[1] extends (
  response: Ack<infer T>,
) => void
  ? T
  : never;

export interface DeviceClientStats {
  /** Items put on the wire (a batch counts its items; a resend counts again). */
  sent: number;
  accepted: number;
  duplicates: number;
  /** Items the server refused for good (bad input): a bug in the simulator, logged. */
  rejected: number;
  /** Items whose outcome was a timeout, a lost connection or a server-side error, after all retries. */
  failed: number;
  /** Items not sent: GPS while disconnected or congested, and whatever was queued at close. */
  dropped: number;
  connected: boolean;
}

export interface DeviceClientOptions {
  serverUrl: string;
  deviceId: string;
  /** The device's secret key, as printed once by `pnpm beacon devices:add`. */
  key: string;
  log: SimLogger;
  /** How long to wait for an acknowledgement; default 5 s. */
  ackTimeoutMs?: number;
  /** Most unacknowledged emits at a time; GPS beyond this is dropped, single events wait. Default 32. */
  maxInFlight?: number;
  /** Most single events kept while disconnected; the oldest go first. Default 1000. */
  outboxLimit?: number;
  /** Tries per single event on a transient failure (resending is safe: the server de-duplicates by eventId). */
  maxAttempts?: number;
  /** Extra socket.io-client options (tests). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface DeviceClient {
  readonly deviceId: string;
  /**
   * Send one tick's GPS fixes as one `ingest:batch`. Positions are perishable: while disconnected or
   * congested the batch is dropped (the next tick's is newer anyway). Resolves when settled; never rejects.
   */
  sendBatch(items: BatchItemInput[]): Promise<void>;
  /**
   * Send one event. Events are queued while disconnected and retried on transient failures.
   * Resolves when settled (accepted, duplicate, rejected, failed or dropped); never rejects.
   */
  send<E extends keyof SingleEvents>(event: E, payload: SingleEvents[E]): Promise<void>;
  /**
   * Send a patrol terminal's crew report (`assignment:report`, `unit:report`) or `device:info` and return
   * the server's acknowledgement as is. Not queued and not retried: a crew report is a decision the caller
   * makes again from the server's state. A timeout or a lost connection answers `UNAVAILABLE`.
   */
  command<E extends TerminalCommand>(
    event: E,
    payload: Parameters<IngestClientToServerEvents[E]>[0],
  ): Promise<Ack<TerminalResult<E>>>;
  stats(): DeviceClientStats;
  /** Resolves when connected (immediately if connected already), or when the client is closed. */
  connected(): Promise<void>;
  /** Resolves when not connected (immediately if not connected now). */
  disconnected(): Promise<void>;
  /** Wait (bounded) for what is in flight, drop what is queued, disconnect. */
  close(): Promise<void>;
}

/** Codes that say "try again later"; anything else means the input itself is wrong. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED']);

interface Queued {
  event: keyof SingleEvents;
  payload: SingleEvents[keyof SingleEvents];
  attempts: number;
  /** Real time before which a retry is not sent (network back-off, not simulated time). */
  notBefore: number;
  done: () => void;
}

/**
 * A field device's connection to the server's `/ingest` namespace. Every emit waits for its acknowledgement
 * (with a timeout) and is counted; rejections are logged, never thrown; socket.io reconnects by itself.
 */
export function createDeviceClient({
  serverUrl,
  deviceId,
  key,
  log,
  ackTimeoutMs = 5_000,
  maxInFlight = 32,
  outboxLimit = 1_000,
  maxAttempts = 3,
  socketOptions = {},
}: DeviceClientOptions): DeviceClient {
  const url = new URL(INGEST_NAMESPACE, serverUrl).toString();
  const socket: IngestSocket = io(url, {
    auth: { deviceId, key },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    ...socketOptions,
  });
  const counts = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, dropped: 0 };
  const inFlight = new Set<Promise<void>>();
  const outbox: Queued[] = [];
  let closing = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let wasConnected = false;
  let connectErrorLogged = false;
  let onConnect: Array<() => void> = [];
  let onDisconnect: Array<() => void> = [];

  socket.on('connect', () => {
    connectErrorLogged = false;
    log.info({ deviceId, url }, wasConnected ? 'simulator device reconnected' : 'simulator device connected');
    wasConnected = true;
    for (const resolve of onConnect) resolve();
    onConnect = [];
    pump();
  });
  socket.on('disconnect', (reason) => {
    if (!closing) log.warn({ deviceId, reason }, 'simulator device disconnected; socket.io will reconnect');
    for (const resolve of onDisconnect) resolve();
    onDisconnect = [];
  });
  socket.on('connect_error', (error) => {
    if (connectErrorLogged || closing) return;
    connectErrorLogged = true;
    log.warn({ deviceId, url, err: error.message }, 'simulator device cannot connect yet; retrying');
  });

  function track(work: Promise<void>): Promise<void> {
    inFlight.add(work);
    void work.finally(() => {
      inFlight.delete(work);
      pump();
    });
    return work;
  }

  function logRejection(event: string, size: number, error: { code: string; message: string; index?: number }): void {
    log.warn(
      { deviceId, event, items: size, code: error.code, message: error.message, index: error.index },
      'server rejected simulator input',
    );
  }

  /** Emit and classify the outcome: 'ok', 'rejected' (for good) or 'transient'. */
  async function emit(
    event: keyof IngestClientToServerEvents,
    payload: unknown,
    size: number,
  ): Promise<'ok' | 'rejected' | 'transient'> {
    counts.sent += size;
    let response: Ack<IngestResult>;
    try {
      // The payload was typed by the caller; the event union defeats socket.io's per-event typing here.
      const timed = socket.timeout(ackTimeoutMs) as unknown as {
        emitWithAck(name: string, body: unknown): Promise<Ack<IngestResult>>;
      };
      response = await timed.emitWithAck(event, payload);
    } catch (error) {
      log.warn({ deviceId, event, items: size, err: (error as Error).message }, 'no acknowledgement from the server');
      return 'transient';
    }
    if (response && response.ok === true) {
      counts.accepted += response.data.accepted;
      counts.duplicates += response.data.duplicates;
      return 'ok';
    }
    if (response && response.ok === false && TRANSIENT.has(response.error.code)) {
      log.warn(
        { deviceId, event, code: response.error.code, message: response.error.message },
        'server could not take input now',
      );
      return 'transient';
    }
    logRejection(
      event,
      size,
      response?.ok === false ? response.error : { code: 'INVALID', message: 'malformed acknowledgement' },
    );
    return 'rejected';
  }

  function pump(): void {
    if (closing || !socket.connected) return;
    while (outbox.length > 0 && inFlight.size < maxInFlight) {
      if (outbox[0]!.notBefore > Date.now()) {
        scheduleRetry(outbox[0]!.notBefore - Date.now());
        return;
      }
      const item = outbox.shift()!;
      item.attempts += 1;
      void track(
        emit(item.event, item.payload, 1).then((outcome) => {
          if (outcome === 'rejected') counts.rejected += 1;
          if (outcome === 'transient' && item.attempts < maxAttempts && !closing) {
            item.notBefore = Date.now() + 1_000 * item.attempts;
            outbox.unshift(item);
            return;
          }
          if (outcome === 'transient') counts.failed += 1;
          item.done();
        }),
      );
    }
  }

  function scheduleRetry(delayMs: number): void {
    if (retryTimer || closing) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      pump();
    }, delayMs);
  }

  return {
    deviceId,

    sendBatch(items) {
      if (items.length === 0) return Promise.resolve();
      if (closing || !socket.connected || inFlight.size >= maxInFlight) {
        counts.dropped += items.length;
        return Promise.resolve();
      }
      return track(
        emit('ingest:batch', items, items.length).then((outcome) => {
          if (outcome === 'rejected') counts.rejected += items.length;
          if (outcome === 'transient') counts.failed += items.length;
        }),
      );
    },

    send(event, payload) {
      if (closing) {
        counts.dropped += 1;
        return Promise.resolve();
      }
      return new Promise<void>((done) => {
        outbox.push({ event, payload, attempts: 0, notBefore: 0, done });
        while (outbox.length > outboxLimit) {
          counts.dropped += 1;
          outbox.shift()!.done();
        }
        pump();
      });
    },

    async command(event, payload) {
      if (closing || !socket.connected) {
        return { ok: false, error: { code: 'UNAVAILABLE', message: 'the terminal is not connected' } };
      }
      try {
        const timed = socket.timeout(ackTimeoutMs) as unknown as {
          emitWithAck(name: string, body: unknown): Promise<Ack<never>>;
        };
        const response = await timed.emitWithAck(event, payload);
        if (response && typeof response === 'object' && typeof response.ok === 'boolean') return response;
        return { ok: false, error: { code: 'INTERNAL', message: 'malformed acknowledgement' } };
      } catch (error) {
        return { ok: false, error: { code: 'UNAVAILABLE', message: (error as Error).message } };
      }
    },

    stats: () => ({ ...counts, connected: socket.connected }),

    connected() {
      if (socket.connected) return Promise.resolve();
      return new Promise((resolve) => onConnect.push(resolve));
    },

    disconnected() {
      if (!socket.connected) return Promise.resolve();
      return new Promise((resolve) => onDisconnect.push(resolve));
    },

    async close() {
      closing = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const pending = Promise.allSettled([...inFlight]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, ackTimeoutMs)))]);
      clearTimeout(timer);
      for (const item of outbox.splice(0)) {
        counts.dropped += 1;
        item.done();
      }
      for (const resolve of onConnect) resolve();
      onConnect = [];
      socket.disconnect();
    },
  };
}
