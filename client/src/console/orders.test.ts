import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '@beacon/shared';
import { isOrderOverdue, orderActions } from './orders.ts';

const order = (o: Partial<WorkOrder>): WorkOrder => ({
  id: 'WO-20261125-0001',
  title: '清理抛洒物',
  description: null,
  priority: 'P3',
  state: 'pending',
  origin: '520500',
  holder: '520521',
  sender: '520500',
  createdBy: 'user:wang',
  createdAt: 0,
  updatedAt: 0,
  dueAt: 1000,
  acceptedAt: null,
  completedAt: null,
  result: null,
  incidentId: null,
  hops: [],
  rev: 0,
  ...o,
});

describe('work-order steps offered to a center', () => {
  it('lets the holder accept or return a pending order, and the origin cancel it', () => {
    expect(orderActions(order({}), '520521')).toEqual(['accept', 'return']);
    expect(orderActions(order({}), '520500')).toEqual(['cancel']);
    expect(orderActions(order({}), '520521101')).toEqual([]);
  });

  it('lets the holder complete or send on an accepted or returned order', () => {
    expect(orderActions(order({ state: 'accepted' }), '520521')).toEqual(['complete', 'send', 'return']);
    const home = order({ state: 'returned', holder: '520500', sender: null });
    expect(orderActions(home, '520500')).toEqual(['complete', 'send', 'cancel']);
    expect(orderActions(order({ state: 'completed' }), '520521')).toEqual([]);
  });

  it('is overdue only while open past its deadline', () => {
    expect(isOrderOverdue(order({}), 1001)).toBe(true);
    expect(isOrderOverdue(order({}), 1000)).toBe(false);
    expect(isOrderOverdue(order({ state: 'completed' }), 5000)).toBe(false);
  });
});
