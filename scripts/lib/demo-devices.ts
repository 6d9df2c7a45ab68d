import fs from 'node:fs';
import path from 'node:path';
import type { DeviceKind } from '../../shared/src/index.ts';
import { DEMO_CREWED_UNITS, type DemoCredentials, type DemoFeed } from '../../simulators/src/index.ts';

/** The registry operations provisioning needs (the server's device store satisfies it). */
interface DeviceRegistry {
  addDevice(
    input: { deviceId: string; kind: DeviceKind; unitId?: string | null },
    now: number,
    options: { replace: boolean },
  ): Promise<{ key: string }>;
}

const KIND_BY_FEED: Record<DemoFeed, DeviceKind> = { patrols: 'patrol', cameras: 'camera', weather: 'weather' };

/**
 * Register the demo's simulated devices with fresh keys, exactly as an operator would with `pnpm beacon
 * devices:add`: a patrol fleet gateway, a camera gateway, a weather gateway, and the terminal of each car
 * whose crew the demo plays (`CAR-BJ-02` … `CAR-BJ-12`, bound to their units). `CAR-BJ-01` is left alone:
 * that car is for a person on `/patrol/BJ-01`.
 */
export async function provisionDemoDevices(
  devices: DeviceRegistry,
  now: number,
  prefix = 'demo',
): Promise<DemoCredentials> {
  const entries = await Promise.all(
    (Object.keys(KIND_BY_FEED) as DemoFeed[]).map(async (feed) => {
      const deviceId = `${prefix}-${feed}`;
      const { key } = await devices.addDevice({ deviceId, kind: KIND_BY_FEED[feed] }, now, { replace: true });
      return [feed, { deviceId, key }] as const;
    }),
  );
  const terminals: Record<string, { deviceId: string; key: string }> = {};
  for (const { unitId, deviceId } of DEMO_CREWED_UNITS) {
    const { key } = await devices.addDevice({ deviceId, kind: 'patrol', unitId }, now, { replace: true });
    terminals[unitId] = { deviceId, key };
  }
  return { ...(Object.fromEntries(entries) as Record<DemoFeed, { deviceId: string; key: string }>), terminals };
}

/** Keep the demo keys where a separately started simulator (`pnpm --filter @beacon/simulators demo`) finds them. */
export function writeDemoCredentials(file: string, credentials: DemoCredentials): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
}
