import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { Broadcast } from '@beacon/shared';

/**
 * Resident notices (警情通报) of the last two days in this screen's area: loaded with `broadcasts:list` on
 * every (re)connect and kept live by `broadcast:changed` (receipts arrive as the groups confirm).
 */
export const useBroadcastsStore = defineStore('broadcasts', () => {
  const broadcasts = shallowRef<Record<string, Broadcast>>({});

  function replaceAll(list: Broadcast[]): void {
    broadcasts.value = Object.fromEntries(list.map((b) => [b.id, newer(broadcasts.value[b.id], b)]));
  }

  function apply(broadcast: Broadcast): void {
    broadcasts.value = { ...broadcasts.value, [broadcast.id]: newer(broadcasts.value[broadcast.id], broadcast) };
  }

  function clear(): void {
    broadcasts.value = {};
  }

  const list = computed(() => Object.values(broadcasts.value).sort((a, b) => b.createdAt - a.createdAt));
  return { broadcasts, list, replaceAll, apply, clear };
});

function newer(known: Broadcast | undefined, incoming: Broadcast): Broadcast {
  return known && known.rev > incoming.rev ? known : incoming;
}
