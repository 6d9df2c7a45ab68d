import { z } from 'zod';
import { Priority } from './lifecycle.ts';

/**
 * A work order (工单) travels between the four levels of centers (city → county → township → village): it is
 * created at one, sent down to a child, escalated up to the parent or handed sideways to a sibling; the center
 * that receives it accepts it, returns it with a reason, or completes it.
 */
export const ORDER_STATES = ['pending', 'accepted', 'returned', 'completed', 'cancelled'] as const;
export const OrderState = z.enum(ORDER_STATES);
export type OrderState = z.output<typeof OrderState>;

/** How an order moved: down to a child, up to the parent, sideways to a sibling, or back to its sender. */
export const ORDER_MOVES = ['down', 'up', 'sideways', 'returned'] as const;
export type OrderMove = (typeof ORDER_MOVES)[number];

export const OrderHop = z.object({
  at: z.number(),
  actor: z.string(),
  from: z.string(),
  to: z.string(),
  move: z.enum(ORDER_MOVES),
  reason: z.string().nullable(),
});
export type OrderHop = z.output<typeof OrderHop>;

export const WorkOrder = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  priority: Priority,
  state: OrderState,
  /** The center that created it, and the one that holds it now (both adcodes). */
  origin: z.string(),
  holder: z.string(),
  /** The center that sent it to the holder (where a return goes); null at its origin. */
  sender: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Deadline to complete: the 09:00 / 21:00 daily cycle unless given. */
  dueAt: z.number(),
  acceptedAt: z.number().nullable(),
  completedAt: z.number().nullable(),
  result: z.string().nullable(),
  incidentId: z.string().nullable(),
  hops: z.array(OrderHop),
  rev: z.number().int(),
});
export type WorkOrder = z.output<typeof WorkOrder>;

const Id = z.string().trim().min(1).max(64);
const Adcode = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'an adcode (6, 9 or 12 digits)');
const Reason = z.string().trim().min(1).max(500);

export const CreateOrderCommand = z.strictObject({
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).optional(),
  priority: Priority.optional(),
  /** Epoch ms; defaults to 21:00 of the daily cycle. */
  dueAt: z.number().int().positive().optional(),
  incidentId: Id.optional(),
  /** Send it at once to this center (a child, the parent or a sibling of the creator's center). */
  to: Adcode.optional(),
});
export type CreateOrderCommand = z.output<typeof CreateOrderCommand>;

export const SendOrderCommand = z.strictObject({ orderId: Id, to: Adcode, reason: Reason.optional() });
export type SendOrderCommand = z.output<typeof SendOrderCommand>;

export const OrderActionCommand = z.discriminatedUnion('action', [
  z.strictObject({ orderId: Id, action: z.literal('accept') }),
  z.strictObject({ orderId: Id, action: z.literal('return'), reason: Reason }),
  z.strictObject({ orderId: Id, action: z.literal('complete'), result: Reason }),
  z.strictObject({ orderId: Id, action: z.literal('cancel'), reason: Reason }),
]);
export type OrderActionCommand = z.output<typeof OrderActionCommand>;

export const ListOrdersCommand = z.strictObject({
  /** Only orders held by this center or below (default: the caller's jurisdiction). */
  under: Adcode.optional(),
  state: OrderState.optional(),
  overdue: z.boolean().optional(),
  limit: z.number().int().min(1).max(5000).optional(),
});
export type ListOrdersCommand = z.output<typeof ListOrdersCommand>;

/** Work-order figures of one center and everything below it (the supervisor view, per child). */
export interface OrderStats {
  adcode: string;
  total: number;
  completed: number;
  open: number;
  overdue: number;
  /** completed / total, null when there are none. */
  closureRate: number | null;
  /** Mean time from creation to completion of the completed ones, ms. */
  meanCompletionMs: number | null;
}

/** Where an order may go from `from`, given the tree: a child, the parent or a sibling; null otherwise. */
export function orderMove(
  from: string,
  to: string,
  parentOf: (adcode: string) => string | null,
): Exclude<OrderMove, 'returned'> | null {
  if (from === to) return null;
  const parentOfTo = parentOf(to);
  const parentOfFrom = parentOf(from);
  if (parentOfTo === from) return 'down';
  if (parentOfFrom === to) return 'up';
  if (parentOfFrom !== null && parentOfTo === parentOfFrom) return 'sideways';
  return null;
}
