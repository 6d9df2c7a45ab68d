import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { WorkOrder } from '@beacon/shared';
import { useOrdersStore } from './orders.ts';

const order = (id: string, rev: number, updatedAt: number): WorkOrder => ({
  id,
  title: id,
  description: null,
  priority: 'P3',
  state: 'pending',
  origin: '520500',
  holder: '520521',
  sender: '520500',
  createdBy: 'user:wang',
  createdAt: 0,
  updatedAt,
  dueAt: 1,
  acceptedAt: null,
  completedAt: null,
  result: null,
  incidentId: null,
  hops: [],
  rev,
});

describe('the work-order store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps the newest revision of each order, latest change first', () => {
    const store = useOrdersStore();
    store.replaceAll([order('WO-1', 0, 10), order('WO-2', 0, 20)]);
    store.apply({ ...order('WO-1', 2, 30), state: 'accepted' });
    store.apply(order('WO-1', 1, 25));
    expect(store.list.map((o) => [o.id, o.rev])).toEqual([
      ['WO-1', 2],
      ['WO-2', 0],
    ]);
    store.clear();
    expect(store.list).toEqual([]);
  });
});
