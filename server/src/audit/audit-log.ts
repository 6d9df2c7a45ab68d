import type { AuditEntry, AuditListCommand } from '@beacon/shared';
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

    /** Newest first, `limit` entries matching the filters, scanning back from `before` (a stream id). */
    async list(query: AuditListCommand): Promise<AuditEntry[]> {
      const limit = query.limit ?? 100;
      const out: AuditEntry[] = [];
      let end = query.before ? `(${query.before}` : '+';
      // Scan in pages so a filter that matches little does not read the whole stream at once.
      for (let page = 0; page < 50 && out.length < limit; page += 1) {
        const rows = (await redis.xrevrange(keys.auditStream, end, '-', 'COUNT', 500)) as [string, string[]][];
        if (rows.length === 0) break;
        for (const [id, flat] of rows) {
          const f: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!;
          const entry: AuditEntry = {
            id,
            at: Number(f.at),
            action: f.action ?? '',
            actor: f.actor ?? '',
            details: safeJson(f.command),
          };
          if (query.actor && entry.actor !== query.actor) continue;
          if (query.action && !entry.action.startsWith(query.action)) continue;
          out.push(entry);
          if (out.length >= limit) break;
        }
        end = `(${rows.at(-1)![0]}`;
      }
      return out;
    },
  };
}

function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
export type AuditLog = ReturnType<typeof createAuditLog>;
