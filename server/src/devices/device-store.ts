import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BeaconError, DeviceKind, type DeviceInfo } from '@beacon/shared';
import type { Redis } from 'ioredis';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString, encodeHash } from '../redis/hash.ts';

/** Device keys are 256 random bits, so one SHA-256 is enough to store them safely (no KDF needed). */
export function hashDeviceKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateDeviceKey(): string {
  return `bk_${randomBytes(32).toString('base64url')}`;
}

function deviceFromHash(hash: Record<string, string>): (DeviceInfo & { keyHash: string }) | null {
  const kind = DeviceKind.safeParse(hash.kind);
  if (!hash.deviceId || !kind.success || !hash.keyHash) return null;
  return {
    deviceId: hash.deviceId,
    kind: kind.data,
    unitId: decodeString(hash.unitId),
    stationId: decodeString(hash.stationId),
    createdAt: decodeNumber(hash.createdAt) ?? 0,
    revokedAt: decodeNumber(hash.revokedAt),
    keyHash: hash.keyHash,
  };
}

function publicInfo(device: DeviceInfo & { keyHash: string }): DeviceInfo {
  const { keyHash: _keyHash, ...info } = device;
  return info;
}

/**
 * The device registry in Redis: one hash per device holding the SHA-256 of its key, never the key.
 * Revocation is published on a channel so every server disconnects the device at once.
 */
export function createDeviceStore({ redis, keys }: { redis: Redis; keys: Keys }) {
  return {
    /**
     * Register a device and return its new key (shown once). An existing device is refused unless
     * `replace` is set, which issues a new key and clears a revocation.
     */
    async addDevice(
      input: { deviceId: string; kind: DeviceKind; unitId?: string | null; stationId?: string | null },
      now: number,
      { replace = false }: { replace?: boolean } = {},
    ): Promise<{ device: DeviceInfo; key: string }> {
      const key = generateDeviceKey();
      const record = {
        deviceId: input.deviceId,
        kind: input.kind,
        unitId: input.unitId ?? null,
        stationId: input.stationId ?? null,
        createdAt: now,
        revokedAt: null,
        keyHash: hashDeviceKey(key),
      };
      const hashKey = keys.device(input.deviceId);
      if (!replace && (await redis.exists(hashKey))) {
        throw new BeaconError(
          'CONFLICT',
          `device ${input.deviceId} already exists; revoke it or add it again with --replace`,
        );
      }
      await redis.multi().del(hashKey).hset(hashKey, encodeHash(record)).sadd(keys.deviceIds, input.deviceId).exec();
      return { device: publicInfo(record), key };
    },

    async listDevices(): Promise<DeviceInfo[]> {
      const ids = (await redis.smembers(keys.deviceIds)).sort();
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(keys.device(id));
      const rows = (await pipeline.exec()) ?? [];
      return rows.flatMap(([error, hash]) => {
        if (error) throw error;
        const device = deviceFromHash(hash as Record<string, string>);
        return device ? [publicInfo(device)] : [];
      });
    },

    /** Revoke a device's key; connected sockets of that device are cut by every server. */
    async revokeDevice(deviceId: string, now: number): Promise<DeviceInfo> {
      const hashKey = keys.device(deviceId);
      if (!(await redis.exists(hashKey))) throw new BeaconError('NOT_FOUND', `device ${deviceId} does not exist`);
      await redis.hset(hashKey, 'revokedAt', String(now));
      await redis.publish(keys.deviceRevokedChannel, deviceId);
      const device = deviceFromHash(await redis.hgetall(hashKey));
      if (!device) throw new BeaconError('INTERNAL', `device ${deviceId} record is damaged`);
      return publicInfo(device);
    },

    /** The device if the key matches and it is not revoked; null otherwise (no hint of which). */
    async verifyDevice(deviceId: string, key: string): Promise<DeviceInfo | null> {
      const device = deviceFromHash(await redis.hgetall(keys.device(deviceId)));
      if (!device || device.revokedAt !== null) return null;
      const expected = Buffer.from(device.keyHash, 'hex');
      const actual = Buffer.from(hashDeviceKey(key), 'hex');
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
      return publicInfo(device);
    },
  };
}
export type DeviceStore = ReturnType<typeof createDeviceStore>;
