import { z } from 'zod';
import type { ErrorCode } from './ack.ts';
import type { DeviceKind } from './devices.ts';

/** Payload of the `health:snapshot` command on `/ops`: nothing to say. */
export const HealthSnapshotCommand = z.strictObject({});
export type HealthSnapshotCommand = z.output<typeof HealthSnapshotCommand>;

/** The thresholds the server judged the feeds with, so screens can say what "lost" or "stuck" means. */
export interface FeedHealthThresholds {
  /** A device with no accepted event for this long is quiet. */
  quietAfterMs: number;
  /** A unit whose newest GPS fix is older than this has lost its signal (and is not recommended). */
  lostSignalAfterMs: number;
  /** A station repeating one identical reading for at least this long is stuck. */
  stuckAfterMs: number;
  /** Two consecutive fixes implying more than this speed are an implausible jump. */
  implausibleSpeedKmh: number;
  /** A unit stays flagged for this long after its last implausible jump. */
  jumpFlagMs: number;
}

/** One registered (or formerly seen) field device. Times are server epoch ms. */
export interface DeviceHealth {
  deviceId: string;
  /** Null when the device is no longer in the registry but was seen before. */
  kind: DeviceKind | null;
  revoked: boolean;
  /** Server time of the last accepted event; null if none was ever accepted. */
  lastSeenAt: number | null;
  /** Accepted events since the device was first seen. */
  accepted: number;
  /** Accepted and rejected inputs in the last minute (10-second resolution). */
  eventsLastMinute: number;
  rejectsLastMinute: number;
  /** Rejected inputs since the device was first seen, by error code. */
  rejected: Partial<Record<ErrorCode, number>>;
  lastRejectAt: number | null;
  lastRejectCode: ErrorCode | null;
  /** No accepted event for `quietAfterMs` (or never). Revoked devices are never quiet. */
  quiet: boolean;
}

/** A weather station, judged on its readings (it may report through a gateway device). */
export interface StationHealth {
  stationId: string;
  /** The device that sent the last reading. */
  deviceId: string | null;
  /** Device time of the newest reading. */
  lastReadingAt: number;
  /** Device time of the first of the identical readings that end with the newest one. */
  sameSince: number;
  /** How many identical readings in a row, the newest included. */
  identicalReadings: number;
  stuck: boolean;
}

/** One implausible jump between two consecutive GPS fixes of a unit. */
export interface GpsJump {
  /** Device time of the fix that jumped. */
  at: number;
  from: { lon: number; lat: number; ts: number };
  to: { lon: number; lat: number; ts: number };
  distanceM: number;
  /** Implied speed in km/h; null when both fixes carry the same timestamp. */
  speedKmh: number | null;
}

/** A patrol unit's GPS feed. */
export interface UnitHealth {
  unitId: string;
  callsign: string;
  /** Device time of the newest fix. */
  lastFixAt: number;
  lostSignal: boolean;
  /** Implausible jumps since the unit was first seen. Jump-flagged fixes are still stored and shown. */
  jumps: number;
  lastJump: GpsJump | null;
  /** The last jump is less than `jumpFlagMs` old (server time). */
  jumpFlagged: boolean;
}

/** The counts the wall shows, pushed as `health:updated`. */
export interface FeedHealthSummary {
  generatedAt: number;
  devicesTotal: number;
  devicesOnline: number;
  devicesQuiet: number;
  stationsStuck: number;
  unitsLostSignal: number;
  unitsJumpFlagged: number;
  /** Across all devices, including rejections of unidentified senders. */
  eventsLastMinute: number;
  rejectsLastMinute: number;
  thresholds: FeedHealthThresholds;
}

/** Everything known about the feeds: the answer to `health:snapshot` and `GET /api/v1/health/feeds`. */
export interface FeedHealthReport {
  summary: FeedHealthSummary;
  devices: DeviceHealth[];
  stations: StationHealth[];
  units: UnitHealth[];
}
