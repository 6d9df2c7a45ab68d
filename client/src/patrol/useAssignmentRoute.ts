import { shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { AssignmentRoute } from '@beacon/shared';
import type { OpsSocket } from '../realtime/ops-socket.ts';

/**
 * The route the unit was given for its current incident (`assignment:route` on `/ops`), fetched when the
 * incident changes and again after a reconnect; null while unknown or when there is none.
 */
export function useAssignmentRoute(
  socket: ShallowRef<OpsSocket | null>,
  incidentId: Ref<string | null>,
  connected: Ref<boolean>,
) {
  const assignment = shallowRef<AssignmentRoute | null>(null);

  async function load(id: string, s: OpsSocket): Promise<void> {
    const response = await s
      .timeout(10_000)
      .emitWithAck('assignment:route', { incidentId: id })
      .catch(() => null);
    if (response?.ok && incidentId.value === id) assignment.value = response.data.assignment;
  }

  watch(
    [incidentId, socket, connected],
    ([id, s, isConnected]) => {
      if (assignment.value?.incidentId !== id) assignment.value = null;
      if (id && s && isConnected) void load(id, s);
    },
    { immediate: true },
  );

  return assignment;
}
