import { AssignmentRoute } from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString, encodeHash } from '../redis/hash.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

/** An assignment's route is kept this long: long enough for any incident, short enough not to pile up. */
export const ASSIGNMENT_TTL_S = 7 * 24 * 3600;

/** Parse an assignment hash read back from Redis; null for a missing or damaged record. */
export function assignmentFromHash(hash: Record<string, string>): AssignmentRoute | null {
  if (!hash.incidentId) return null;
  let route: unknown;
  try {
    route = hash.route ? JSON.parse(hash.route) : null;
  } catch {
    return null;
  }
  const result = AssignmentRoute.safeParse({
    incidentId: hash.incidentId,
    unitId: hash.unitId,
    computedAt: decodeNumber(hash.computedAt),
    driveTimeS: decodeNumber(hash.driveTimeS),
    roadDistanceM: decodeNumber(hash.roadDistanceM),
    approximate: hash.approximate === '1',
    reason: hash.reason,
    via: decodeString(hash.via),
    extraS: decodeNumber(hash.extraS),
    route,
  });
  return result.success ? result.data : null;
}

/** Redis access for the route each assignment was given: one hash per incident. */
export function createAssignmentStore({ redis, keys }: { redis: BeaconRedis; keys: Keys }) {
  return {
    async saveAssignment(assignment: AssignmentRoute): Promise<void> {
      const key = keys.assignment(assignment.incidentId);
      await redis
        .multi()
        .del(key)
        .hset(
          key,
          encodeHash({
            ...assignment,
            approximate: assignment.approximate ? '1' : '0',
            route: assignment.route ? JSON.stringify(assignment.route) : null,
          }),
        )
        .expire(key, ASSIGNMENT_TTL_S)
        .exec();
    },

    async getAssignment(incidentId: string): Promise<AssignmentRoute | null> {
      return assignmentFromHash(await redis.hgetall(keys.assignment(incidentId)));
    },
  };
}
export type AssignmentStore = ReturnType<typeof createAssignmentStore>;
