import type { DeviceKind } from '../../shared/src/index.ts';
import type { ScenarioCredentials } from '../../simulators/src/index.ts';
import { terminalDeviceId } from '../../simulators/src/index.ts';

/** The registry operations provisioning needs (the server's device store satisfies it). */
export interface DeviceRegistry {
  addDevice(
    input: { deviceId: string; kind: DeviceKind; unitId?: string | null; stationId?: string | null },
    now: number,
    options: { replace: boolean },
  ): Promise<{ key: string }>;
}

/**
 * Register the devices a scenario or replay speaks through, in the drill's own key space (pass the drill
 * server's device store): a GPS gateway, a camera gateway, a weather gateway, and — when the crews answer
 * dispatches — a terminal bound to each unit, exactly as an operator would with `pnpm beacon devices:add`.
 */
export async function provisionDrillDevices(
  devices: DeviceRegistry,
  { now, unitIds, prefix = 'drill' }: { now: number; unitIds: readonly string[]; prefix?: string },
): Promise<ScenarioCredentials> {
  const add = async (deviceId: string, kind: DeviceKind, unitId: string | null = null) => ({
    deviceId,
    key: (await devices.addDevice({ deviceId, kind, unitId }, now, { replace: true })).key,
  });
  const terminals: Record<string, { deviceId: string; key: string }> = {};
  for (const unitId of unitIds) terminals[unitId] = await add(terminalDeviceId(unitId), 'patrol', unitId);
  return {
    gateway: await add(`${prefix}-gps`, 'patrol'),
    cameras: await add(`${prefix}-cameras`, 'camera'),
    weather: await add(`${prefix}-weather`, 'weather'),
    terminals,
  };
}
