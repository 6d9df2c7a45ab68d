import { z } from 'zod';
import type { IngestKind } from './ingest.ts';

/** What a field device is; it decides which events the device may send. */
export const DEVICE_KINDS = ['camera', 'weather', 'patrol'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.output<typeof DeviceKind>;

/** The one event kind each device kind reports. */
export const INGEST_KIND_BY_DEVICE: Record<DeviceKind, IngestKind> = {
  camera: 'pedestrian',
  weather: 'weather',
  patrol: 'gps',
};

export const DeviceId = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'letters, digits, ".", "_" and "-", at most 64, starting with a letter or digit',
  );

/** A registered device as listed to operators. The key itself is never stored or shown again. */
export interface DeviceInfo {
  deviceId: string;
  kind: DeviceKind;
  /** For a patrol terminal bound to one unit; null means a fleet gateway that may report any unit. */
  unitId: string | null;
  /** For a weather device bound to one station; null means a gateway for any station. */
  stationId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** The handshake a device sends on `/ingest`. */
export const IngestHandshakeAuth = z.object({ deviceId: DeviceId, key: z.string().min(1).max(200) });
export type IngestHandshakeAuth = z.output<typeof IngestHandshakeAuth>;
