import fs from 'node:fs';
import path from 'node:path';
import type { DeviceKind } from '../../shared/src/index.ts';
import type { DemoCredentials, DemoFeed } from '../../simulators/src/index.ts';

/** The registry operations provisioning needs (the server's device store satisfies it). */
interface DeviceRegistry {
  addDevice(
    input: { deviceId: string; kind: DeviceKind },
    now: number,
    options: { replace: boolean },
  ): Promise<{ key: string }>;
}

const KIND_BY_FEED: Record<DemoFeed, DeviceKind> = { patrols: 'patrol', cameras: 'camera', weather: 'weather' };

/**
 * Register the demo's three simulated devices (a patrol fleet gateway, a camera gateway, a weather
 * gateway) with fresh keys, exactly as an operator would with `pnpm beacon devices:add`.
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
  return Object.fromEntries(entries) as DemoCredentials;
}

/** Keep the demo keys where a separately started simulator (`pnpm --filter @beacon/simulators demo`) finds them. */
export function writeDemoCredentials(file: string, credentials: DemoCredentials): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
}
