/**
 * Operator commands: `pnpm beacon <command>`.
 *
 *   devices:add <deviceId> --kind camera|weather|patrol [--unit <unitId>] [--station <stationId>] [--replace]
 *   devices:list
 *   devices:revoke <deviceId>
 *   drill:run <scenario> [--speed N] [--id D-…] [--port P] [--keep]   (docs/DRILLS.md)
 *   record --from <ISO> --to <ISO> --out <file.jsonl.gz>; replay <file> [--speed N] [--id D-…]   (docs/DRILLS.md)
 *   backup --out <file.jsonl.gz>; restore <file.jsonl.gz> [--replace]   (docs/DEPLOY.md)
 *   region:import <extract> --bbox minLon,minLat,maxLon,maxLat --out <dir> [options]   (no Redis needed)
 *
 * Redis: REDIS_URL, else the private Redis of a running `pnpm start` ($BEACON_DATA_DIR/redis.url),
 * with the key prefix BEACON_KEY_PREFIX (default beacon).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { BeaconError, DeviceId, DeviceKind, describeZodError } from '../shared/src/index.ts';
import { createDeviceStore } from '../server/src/devices/device-store.ts';
import { createKeys } from '../server/src/redis/keys.ts';
import { IMPORT_USAGE, ImportUsageError, runRegionImport } from './region/import-osm.ts';
import { ACCESS_USAGE, AccessUsageError, runAccessCommand } from './access-commands.ts';
import { DRILL_USAGE, DrillUsageError, isDrillCommand, runDrillCommand } from './drills/commands.ts';
import { BACKUP_USAGE, BackupUsageError, isBackupCommand, runBackupCommand } from './backup/commands.ts';
import {
  RECORD_REPLAY_USAGE,
  RecordReplayUsageError,
  isRecordReplayCommand,
  runRecordReplayCommand,
} from './record/commands.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: pnpm beacon <command>
  devices:add <deviceId> --kind camera|weather|patrol [--unit <unitId>] [--station <stationId>] [--replace]
      register a device and print its key (shown once; Redis keeps only a hash)
  devices:list
      list registered devices
  devices:revoke <deviceId>
      revoke a device's key; its connections are cut at once
${ACCESS_USAGE}
${DRILL_USAGE}
${BACKUP_USAGE}
${RECORD_REPLAY_USAGE}
${IMPORT_USAGE}`;

/** Where the Redis of this installation is: REDIS_URL, or the one a running `pnpm start` wrote down. */
export function resolveRedisUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REDIS_URL) return env.REDIS_URL;
  const file = path.join(path.resolve(env.BEACON_DATA_DIR || path.join(repoRoot, '.beacon')), 'redis.url');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new Error('no Redis: set REDIS_URL, or start Beacon with `pnpm start` first');
}

class UsageError extends Error {}

async function connectRedis(): Promise<Redis> {
  const redis = new Redis(resolveRedisUrl(), { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect().catch((error: Error) => {
    throw new Error(`cannot reach Redis: ${error.message}`);
  });
  return redis;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return;
  }
  if (command === 'region:import') {
    await runRegionImport(rest).catch((error: unknown) => {
      throw error instanceof ImportUsageError ? new UsageError(error.message) : error;
    });
    return;
  }
  if (isDrillCommand(command)) {
    await runDrillCommand(command, rest, () => resolveRedisUrl()).catch((error: unknown) => {
      throw error instanceof DrillUsageError ? new UsageError(error.message) : error;
    });
    return;
  }
  if (isRecordReplayCommand(command)) {
    await runRecordReplayCommand(command, rest, () => resolveRedisUrl()).catch((error: unknown) => {
      throw error instanceof RecordReplayUsageError ? new UsageError(error.message) : error;
    });
    return;
  }
  if (isBackupCommand(command)) {
    await runBackupCommand(command, rest, connectRedis, process.env.BEACON_KEY_PREFIX || 'beacon').catch(
      (error: unknown) => {
        throw error instanceof BackupUsageError ? new UsageError(error.message) : error;
      },
    );
    return;
  }
  if (command.startsWith('users:') || command.startsWith('display:')) {
    const redis = await connectRedis();
    try {
      await runAccessCommand(command, rest, redis, process.env.BEACON_KEY_PREFIX || 'beacon');
    } catch (error) {
      throw error instanceof AccessUsageError ? new UsageError(error.message) : error;
    } finally {
      redis.disconnect();
    }
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      unit: { type: 'string' },
      station: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
  });

  const redis = await connectRedis();
  const devices = createDeviceStore({ redis, keys: createKeys(process.env.BEACON_KEY_PREFIX || 'beacon') });
  try {
    switch (command) {
      case 'devices:add': {
        const deviceId = DeviceId.safeParse(positionals[0]);
        if (!deviceId.success) throw new UsageError(`deviceId: ${describeZodError(deviceId.error)}`);
        const kind = DeviceKind.safeParse(values.kind);
        if (!kind.success) throw new UsageError('--kind must be camera, weather or patrol');
        if (values.unit && kind.data !== 'patrol') throw new UsageError('--unit is only for patrol devices');
        if (values.station && kind.data !== 'weather') throw new UsageError('--station is only for weather devices');
        const { device, key } = await devices.addDevice(
          { deviceId: deviceId.data, kind: kind.data, unitId: values.unit ?? null, stationId: values.station ?? null },
          Date.now(),
          { replace: values.replace },
        );
        console.log(`registered ${device.kind} device ${device.deviceId}${bindingOf(device)}`);
        console.log(`key (shown once, store it on the device): ${key}`);
        return;
      }
      case 'devices:list': {
        const list = await devices.listDevices();
        if (list.length === 0) console.log('no devices registered');
        for (const d of list) {
          const state = d.revokedAt === null ? 'active' : `revoked ${new Date(d.revokedAt).toISOString()}`;
          console.log(`${d.deviceId.padEnd(24)} ${d.kind.padEnd(8)} ${state.padEnd(32)}${bindingOf(d)}`);
        }
        return;
      }
      case 'devices:revoke': {
        const deviceId = DeviceId.safeParse(positionals[0]);
        if (!deviceId.success) throw new UsageError(`deviceId: ${describeZodError(deviceId.error)}`);
        await devices.revokeDevice(deviceId.data, Date.now());
        console.log(`revoked ${deviceId.data}; its connections are being closed`);
        return;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    redis.disconnect();
  }
}

function bindingOf(d: { unitId: string | null; stationId: string | null }): string {
  if (d.unitId) return ` (unit ${d.unitId})`;
  if (d.stationId) return ` (station ${d.stationId})`;
  return '';
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`beacon: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`beacon: ${error instanceof BeaconError || error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
