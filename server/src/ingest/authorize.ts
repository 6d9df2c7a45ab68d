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

/**
 * Whether a device may report a crew's status for this unit: only a patrol terminal bound to that very unit.
 * A fleet gateway (a patrol device bound to no unit) may send GPS for any unit, but never speak for a crew.
 */
export function crewReportForbiddenReason(device: DeviceInfo, unitId: string): string | null {
  if (device.kind !== 'patrol') return `a ${device.kind} device may not report a unit's status`;
  if (device.unitId === null)
    return `device ${device.deviceId} is not bound to a unit; only a unit's own terminal reports its status`;
  if (device.unitId !== unitId) return `device ${device.deviceId} reports for unit ${device.unitId}, not ${unitId}`;
  return null;
}
