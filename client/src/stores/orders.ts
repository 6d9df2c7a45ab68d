import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { WorkOrder } from '@beacon/shared';
import { compareOrders } from '../console/orders.ts';

/**
 * The work orders (工单) this console can see: loaded with `orders:list` on every (re)connect and kept live
 * by `order:changed`. Plain records keyed by id; a change older than the one held (lower `rev`) is dropped.
 */
export const useOrdersStore = defineStore('orders', () => {
  const orders = shallowRef<Record<string, WorkOrder>>({});
  const loaded = ref(false);

  function replaceAll(list: WorkOrder[]): void {
    const next: Record<string, WorkOrder> = {};
    for (const order of list) next[order.id] = newer(orders.value[order.id], order);
    orders.value = next;
    loaded.value = true;
  }

  function apply(order: WorkOrder): void {
    orders.value = { ...orders.value, [order.id]: newer(orders.value[order.id], order) };
  }

  function clear(): void {
    orders.value = {};
    loaded.value = false;
  }

  const list = computed(() => Object.values(orders.value).sort(compareOrders));
  return { orders, loaded, list, replaceAll, apply, clear };
});

function newer(known: WorkOrder | undefined, incoming: WorkOrder): WorkOrder {
  return known && known.rev > incoming.rev ? known : incoming;
}
