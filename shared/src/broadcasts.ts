import { z } from 'zod';

/** The target for delivering a resident notice (警情通报): every group confirms within 10 minutes. */
export const BROADCAST_TARGET_MS = 10 * 60_000;

export const GroupDelivery = z.object({
  groupId: z.string(),
  name: z.string(),
  /** Grid cell (网格) the group belongs to. */
  cell: z.string(),
  state: z.enum(['sent', 'delivered', 'failed']),
  sentAt: z.number(),
  /** When the group confirmed (delivered) or the channel gave up (failed). */
  doneAt: z.number().nullable(),
  error: z.string().nullable(),
});
export type GroupDelivery = z.output<typeof GroupDelivery>;

export const Broadcast = z.object({
  id: z.string(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('incident'), incidentId: z.string() }),
    z.object({ kind: z.literal('weather'), stationId: z.string() }),
  ]),
  text: z.string(),
  /** The channel that carried it (`demo` for the simulated resident groups). */
  channel: z.string(),
  jurisdiction: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.number(),
  /** createdAt + 10 minutes: the target every group is measured against. */
  dueAt: z.number(),
  cells: z.array(z.string()),
  groups: z.array(GroupDelivery),
  rev: z.number().int(),
});
export type Broadcast = z.output<typeof Broadcast>;

export const SendBroadcastCommand = z
  .strictObject({
    incidentId: z.string().trim().min(1).max(64).optional(),
    stationId: z.string().trim().min(1).max(64).optional(),
    text: z.string().trim().min(1).max(500),
    /** Grid cells within this distance of the incident (or of the warned road section) are notified. */
    radiusKm: z.number().min(0.5).max(30).optional(),
  })
  .refine((c) => (c.incidentId === undefined) !== (c.stationId === undefined), {
    message: 'name exactly one of incidentId or stationId',
  });
export type SendBroadcastCommand = z.output<typeof SendBroadcastCommand>;

/** Delivery counts of a broadcast at `now`, against the 10-minute target. */
export function broadcastProgress(broadcast: Broadcast, now: number) {
  const delivered = broadcast.groups.filter((g) => g.state === 'delivered');
  const onTime = delivered.filter((g) => (g.doneAt ?? Infinity) <= broadcast.dueAt).length;
  const failed = broadcast.groups.filter((g) => g.state === 'failed').length;
  const waiting = broadcast.groups.length - delivered.length - failed;
  return {
    total: broadcast.groups.length,
    delivered: delivered.length,
    onTime,
    failed,
    waiting,
    /** Milliseconds left to the target (negative once it has passed). */
    remainingMs: broadcast.dueAt - now,
    /** Every group confirmed within the target. */
    met: onTime === broadcast.groups.length,
  };
}
