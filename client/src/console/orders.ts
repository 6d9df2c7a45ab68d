import type { OrderState, WorkOrder } from '@beacon/shared';

/** What a center may do with a work order (the server decides anyway: `order:act`, `order:send`). */
export type OrderActionKind = 'accept' | 'return' | 'complete' | 'send' | 'cancel';

const OPEN_STATES: readonly OrderState[] = ['pending', 'accepted', 'returned'];

export function isOrderOpen(order: Pick<WorkOrder, 'state'>): boolean {
  return OPEN_STATES.includes(order.state);
}

/** Open and past its deadline (the 21:00 of its daily cycle unless given). */
export function isOrderOverdue(order: Pick<WorkOrder, 'state' | 'dueAt'>, now: number): boolean {
  return isOrderOpen(order) && now > order.dueAt;
}

/**
 * The steps offered to `center` for an order, following the server's rules: only the holder accepts (when
 * pending), returns it to its sender (when it has one), completes or sends it on (once accepted or returned to
 * it); only its origin cancels it. Nothing is offered on a closed order.
 */
export function orderActions(order: WorkOrder, center: string): OrderActionKind[] {
  if (!isOrderOpen(order)) return [];
  const actions: OrderActionKind[] = [];
  if (order.holder === center) {
    if (order.state === 'pending') actions.push('accept');
    else actions.push('complete', 'send');
    if (order.sender !== null) actions.push('return');
  }
  if (order.origin === center) actions.push('cancel');
  return actions;
}

/** Newest change first. */
export function compareOrders(a: WorkOrder, b: WorkOrder): number {
  return b.updatedAt - a.updatedAt || b.id.localeCompare(a.id);
}
