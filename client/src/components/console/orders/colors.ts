import type { OrderState } from '@beacon/shared';

/** Work-order states: waiting in amber, in hand in sky blue, sent back in red, done in greys. */
export const ORDER_STATE_COLORS: Record<OrderState, string> = {
  pending: '#f59e0b',
  accepted: '#38bdf8',
  returned: '#f87171',
  completed: '#86efac',
  cancelled: '#a8a29e',
};
