import { onBeforeUnmount, watch, type ShallowRef } from 'vue';
import type { Broadcast, OrderChanged } from '@beacon/shared';
import type { OpsSocket } from '../realtime/ops-socket.ts';
import { useOrdersStore } from '../stores/orders.ts';
import { useBroadcastsStore } from '../stores/broadcasts.ts';
import { sendCommand } from './commands.ts';

/**
 * Keep the work-order and resident-notice stores in step with the server: both lists are loaded on every
 * (re)connect (`orders:list`, `broadcasts:list`) and changes applied as they come (`order:changed`,
 * `broadcast:changed`). A new sign-in starts from empty stores.
 */
export function useLiveLists(socket: ShallowRef<OpsSocket | null>) {
  const orders = useOrdersStore();
  const broadcasts = useBroadcastsStore();

  async function reloadOrders(): Promise<void> {
    const s = socket.value;
    const answer = await sendCommand(s, 'orders:list', { limit: 2000 });
    if (answer.ok && socket.value === s) orders.replaceAll(answer.data.orders);
  }
  async function reloadBroadcasts(): Promise<void> {
    const s = socket.value;
    const answer = await sendCommand(s, 'broadcasts:list', {});
    if (answer.ok && socket.value === s) broadcasts.replaceAll(answer.data.broadcasts);
  }

  const onOrder = ({ order }: OrderChanged) => orders.apply(order);
  const onBroadcast = (broadcast: Broadcast) => broadcasts.apply(broadcast);
  const onConnect = () => {
    void reloadOrders();
    void reloadBroadcasts();
  };
  const detach = (s: OpsSocket | null) => {
    s?.off('order:changed', onOrder);
    s?.off('broadcast:changed', onBroadcast);
    s?.off('connect', onConnect);
  };

  watch(
    socket,
    (current, previous) => {
      detach(previous ?? null);
      if (previous !== undefined) {
        orders.clear();
        broadcasts.clear();
      }
      current?.on('order:changed', onOrder);
      current?.on('broadcast:changed', onBroadcast);
      current?.on('connect', onConnect);
      if (current?.connected) onConnect();
    },
    { immediate: true },
  );
  onBeforeUnmount(() => detach(socket.value));

  return { reloadOrders, reloadBroadcasts };
}
