/** Every Redis key Beacon uses, under one prefix so that drills and tests can live beside live data. */
export function createKeys(prefix: string) {
  return {
    /** Stream of every accepted device report, in arrival order. */
    ingestStream: `${prefix}:ingest`,
    /** Ingest entries the rules pipeline could not project on their own (with the error), for an operator. */
    ingestDeadLetter: `${prefix}:ingest:dead`,
    /** Marker of an eventId already accepted from one device. */
    seen: (deviceId: string, eventId: string) => `${prefix}:seen:${deviceId}:${eventId}`,
    /** Stream of every domain event fanned out to screens. */
    eventsStream: `${prefix}:events`,
    /** Stream of dispatch actions: who assigned or reported what, when. */
    auditStream: `${prefix}:audit`,
    /** Hash of counters of rejected input, by error code. */
    rejected: `${prefix}:stats:rejected`,
    unitIds: `${prefix}:units`,
    unit: (unitId: string) => `${prefix}:unit:${unitId}`,
    unitsGeo: `${prefix}:units:geo`,
    incidentIds: `${prefix}:incidents`,
    incident: (incidentId: string) => `${prefix}:incident:${incidentId}`,
    /** GEO set of open incidents, for merging detections of the same walk-on. */
    openIncidentsGeo: `${prefix}:incidents:open:geo`,
    incidentSeq: (day: string) => `${prefix}:incidents:seq:${day}`,
    /** Timeline of one incident: a list of JSON TimelineEntry, oldest first. */
    incidentTimeline: (incidentId: string) => `${prefix}:incident:${incidentId}:timeline`,
    /** Alarms: one hash each, an index by time, and the open one of each (source, type). */
    alarm: (alarmId: string) => `${prefix}:alarm:${alarmId}`,
    alarmIds: `${prefix}:alarms`,
    /** Hash `source|type` → id of the open alarm of that source and type. */
    alarmsOpen: `${prefix}:alarms:open`,
    alarmSeq: `${prefix}:alarms:seq`,
    /** Work orders: a hash each (`rev`, `json`), an index by creation time, a daily sequence. */
    order: (orderId: string) => `${prefix}:order:${orderId}`,
    orderIds: `${prefix}:orders`,
    orderSeq: (day: string) => `${prefix}:orders:seq:${day}`,
    /** Resident broadcasts: a hash each (`rev`, `json`), an index by creation time. */
    broadcast: (broadcastId: string) => `${prefix}:broadcast:${broadcastId}`,
    broadcastIds: `${prefix}:broadcasts`,
    broadcastSeq: `${prefix}:broadcasts:seq`,
    /** The demo broadcast channel's pending confirmations (sorted set by due time). */
    demoReceipts: `${prefix}:demo:receipts`,
    /** Marker that one part of one ingest entry was projected (value: what it produced), 24 h. */
    projected: (entryId: string, part: string) => `${prefix}:projected:${entryId}:${part}`,
    /** A key that is never written: stands in for an optional key of a script. */
    none: `${prefix}:none`,
    /** The route a unit was given when assigned to this incident (hash, expires after a week). */
    assignment: (incidentId: string) => `${prefix}:assignment:${incidentId}`,
    weatherLatest: `${prefix}:weather:latest`,
    /** Sorted set per station (score: device time) of its recent readings `{ ts, visibilityM, roadSurfaceTempC }`. */
    weatherHistory: (stationId: string) => `${prefix}:weather:history:${stationId}`,
    /** Weather-alert state of one station (hash: `v` version, `state` JSON of StationAlertState). */
    alertStation: (stationId: string) => `${prefix}:alerts:station:${stationId}`,
    /** Hash stationId → JSON of the station's ActiveWeatherAlert, only while a warning is up. */
    alertsActive: `${prefix}:alerts:active`,
    deviceIds: `${prefix}:devices`,
    device: (deviceId: string) => `${prefix}:device:${deviceId}`,
    /** Pub/sub channel carrying the id of each revoked device. */
    deviceRevokedChannel: `${prefix}:devices:revoked`,
    /** Prefix of the per-device de-duplication markers, completed by the accept script. */
    seenPrefix: (deviceId: string) => `${prefix}:seen:${deviceId}:`,
    /** Feed health: ids of devices that sent or were refused anything. */
    healthDeviceIds: `${prefix}:health:devices`,
    /** Feed health, per device: `accepted`, `rej:<CODE>` counts, `lastRejectAt`, `lastRejectCode`. */
    healthDevice: (deviceId: string) => `${prefix}:health:device:${deviceId}`,
    /** Feed health: sorted set of device ids by the server time of their last accepted event. */
    healthLastSeen: `${prefix}:health:lastseen`,
    /** Feed health: accepted or rejected inputs per device in one 10-second bucket (hash, short TTL). */
    healthRate: (what: 'accepted' | 'rejected', bucketStart: number) => `${prefix}:health:${what}:${bucketStart}`,
    /** Feed health: weather station ids, and per station the run of identical readings. */
    healthStationIds: `${prefix}:health:stations`,
    healthStation: (stationId: string) => `${prefix}:health:station:${stationId}`,
    /** Feed health, per unit: the newest fix seen and its implausible jumps. */
    healthUnit: (unitId: string) => `${prefix}:health:unit:${unitId}`,
    /** Stream through which the Socket.IO redis-streams adapter relays broadcasts between server nodes. */
    adapterStream: `${prefix}:sio`,
    /** Prefix of the adapter's pub/sub channels (requests between nodes, e.g. fetchSockets). */
    adapterChannelPrefix: `${prefix}:sio`,
    /** Consumer group of the rules pipeline on the ingest stream. */
    rulesGroup: 'rules',
  };
}
export type Keys = ReturnType<typeof createKeys>;
