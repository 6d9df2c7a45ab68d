import { INGEST_KIND_BY_DEVICE, type DeviceInfo, type IngestKind } from '@beacon/shared';

/**
 * Whether a device may report this item. Each kind of device reports one kind of event; a device bound
 * to a unit or station may report only for it. Returns the reason when not allowed.
 */
export function forbiddenReason(
  device: DeviceInfo,
  item: { kind: IngestKind; unitId?: string; stationId?: string },
): string | null {
  const allowed = INGEST_KIND_BY_DEVICE[device.kind];
  if (item.kind !== allowed) return `a ${device.kind} device may only report ${allowed} events, not ${item.kind}`;
  if (device.unitId !== null && item.unitId !== undefined && item.unitId !== device.unitId) {
    return `device ${device.deviceId} reports for unit ${device.unitId}, not ${item.unitId}`;
  }
  if (device.stationId !== null && item.stationId !== undefined && item.stationId !== device.stationId) {
    return `device ${device.deviceId} reports for station ${device.stationId}, not ${item.stationId}`;
  }
  return null;
}
