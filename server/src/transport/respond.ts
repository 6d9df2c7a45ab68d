import { BeaconError, ERROR_CODES, fail, ok, type Ack, type ErrorCode } from '@beacon/shared';
import type { Logger } from '../log.ts';
import { parseScriptError } from '../redis/scripts.ts';

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** Map anything thrown by a handler to a wire error. Internal details go to the log, never to the client. */
export function toWireFailure(error: unknown, log: Logger): Extract<Ack<never>, { ok: false }> {
  if (error instanceof BeaconError) return fail(error.code, error.message, error.index);
  const scripted = parseScriptError(error);
  if (scripted && KNOWN_CODES.has(scripted.code)) return fail(scripted.code as ErrorCode, scripted.message);
  if (isRedisUnavailable(error)) {
    log.warn({ err: error }, 'redis unavailable');
    return fail('UNAVAILABLE', 'storage is unavailable, retry later; nothing was stored');
  }
  log.error({ err: error }, 'unexpected error in handler');
  return fail('INTERNAL', 'internal error; nothing was stored');
}

function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|MaxRetriesPerRequest|LOADING|READONLY/i.test(
      error.message,
    ) || error.name === 'MaxRetriesPerRequestError'
  );
}

/**
 * Run a command handler and answer its acknowledgement exactly once.
 * Missing acknowledgement callbacks are tolerated (the outcome is then only logged and counted).
 */
export async function respond<T>(
  ack: unknown,
  log: Logger,
  run: () => Promise<T>,
  onFailure?: (failure: Extract<Ack<never>, { ok: false }>) => void | Promise<void>,
): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
  let response: Ack<T>;
  try {
    response = ok(await run());
  } catch (error) {
    const failure = toWireFailure(error, log);
    try {
      await onFailure?.(failure);
    } catch (countError) {
      log.warn({ err: countError }, 'could not record a rejection');
    }
    response = failure;
  }
  reply(response);
}
