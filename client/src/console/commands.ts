import type { Ack, OpsClientToServerEvents, WireError } from '@beacon/shared';
import type { OpsSocket } from '../realtime/ops-socket.ts';
import type { MessageKey } from '../i18n/index.ts';

/** Every command the console sends on `/ops`. */
export type OpsCommand = keyof OpsClientToServerEvents;
export type CommandPayload<E extends OpsCommand> = Parameters<OpsClientToServerEvents[E]>[0];
export type CommandData<E extends OpsCommand> =
  Parameters<Parameters<OpsClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;
export type CommandAck<E extends OpsCommand> = Ack<CommandData<E>>;

/**
 * A command runner handed to the console's panels: sends one command, shows the outcome to the dispatcher
 * (`okText` on success, the server's refusal otherwise) and resolves with the data, or null when refused.
 */
export type CommandRunner = <E extends OpsCommand>(
  event: E,
  payload: CommandPayload<E>,
  okText?: (data: CommandData<E>) => string,
) => Promise<CommandData<E> | null>;

/** Send a command and wait for its acknowledgement; a timeout or a lost link becomes an UNAVAILABLE error. */
export async function sendCommand<E extends OpsCommand>(
  socket: OpsSocket | null,
  event: E,
  payload: CommandPayload<E>,
  timeoutMs = 10_000,
): Promise<CommandAck<E>> {
  if (!socket) return { ok: false, error: { code: 'UNAVAILABLE', message: 'not connected' } };
  // Socket.IO's typed emitWithAck cannot follow a generic event name; the event map above keeps this honest.
  const timed = socket.timeout(timeoutMs) as unknown as {
    emitWithAck(event: string, payload: unknown): Promise<CommandAck<E>>;
  };
  try {
    return await timed.emitWithAck(event, payload);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'UNAVAILABLE', message } };
  }
}

/** Error codes the console words itself; any other shows the server's message alone. */
const WORDED: readonly string[] = [
  'REASON_REQUIRED',
  'INVALID_TRANSITION',
  'CONFLICT',
  'NOT_FOUND',
  'INVALID',
  'UNIT_UNAVAILABLE',
  'FORBIDDEN',
  'UNAVAILABLE',
];

/** A refusal in the dispatcher's language, with the server's own message kept for detail. */
export function describeError(
  error: WireError,
  t: (key: MessageKey, params?: Record<string, string | number>) => string,
): string {
  if (!WORDED.includes(error.code)) return t('console.error', { message: error.message });
  return t('console.errorDetail', { text: t(`console.err.${error.code}` as MessageKey), message: error.message });
}
