import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

/** Cap of the audit stream (approximate): years of a center's human actions. */
const AUDIT_MAX_LEN = 1_000_000;

/**
 * The append-only record of every human and rule action: what was done (`dispatch:assign`,
 * `incident:transition`…), by whom (`console` until logins exist, `device:<id>`, `rule:<name>`), when
 * (the injected clock's time), with the command or its details. Only successful actions are recorded;
 * refusals are in the server log and the rejection counters.
 */
export function createAuditLog({ redis, keys }: { redis: BeaconRedis; keys: Keys }) {
  return {
    async append(action: string, actor: string, at: number, details: object): Promise<void> {
      await redis.xadd(
        keys.auditStream,
        'MAXLEN',
        '~',
        AUDIT_MAX_LEN,
        '*',
        'action',
        action,
        'actor',
        actor,
        'at',
        String(at),
        'command',
        JSON.stringify(details),
      );
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
