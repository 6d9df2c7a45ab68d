import type { Redis } from 'ioredis';

/**
 * Lua scripts for the few changes that must be atomic. Each returns plain values;
 * errors are `CODE message` replies that the caller maps to a BeaconError.
 */
const scripts = {
  /**
   * Accept a batch from one device: for each (eventId, kind, payload) triple, record the eventId once
   * (SET NX EX under ARGV[1] .. eventId) and append the event to the ingest stream KEYS[1].
   * ARGV: seenPrefix, ttlSeconds, maxLen, deviceId, receivedAt, then the triples. Returns the number appended.
   * The de-duplication keys are computed here, so this script needs a non-cluster Redis (or hash tags).
   */
  acceptBatch: {
    numberOfKeys: 1,
    lua: `
local accepted = 0
for i = 6, #ARGV, 3 do
  if redis.call('SET', ARGV[1] .. ARGV[i], '1', 'NX', 'EX', ARGV[2]) then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*',
      'kind', ARGV[i + 1], 'device', ARGV[4], 'receivedAt', ARGV[5], 'payload', ARGV[i + 2])
    accepted = accepted + 1
  end
end
return accepted`,
  },
  /**
   * Accept single events of several devices in one call (group commit of concurrent single reports): for each
   * (seenKey, deviceId, kind, payload) quadruple, record the seen key once (SET NX EX) and append the event to
   * KEYS[1] with the same fields as acceptBatch. ARGV: ttlSeconds, maxLen, receivedAt, then the quadruples.
   * Returns one 1 (stored) or 0 (duplicate) per event, in order.
   */
  acceptGroup: {
    numberOfKeys: 1,
    lua: `
local out = {}
for i = 4, #ARGV, 4 do
  if redis.call('SET', ARGV[i], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*',
      'kind', ARGV[i + 2], 'device', ARGV[i + 1], 'receivedAt', ARGV[3], 'payload', ARGV[i + 3])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out`,
  },
  /**
   * Move a unit to a new GPS fix unless the fix is older than the one stored. Creates the unit on its first fix.
   * Returns {isNew, applied}.
   */
  moveUnit: {
    numberOfKeys: 3,
    lua: `
local last = tonumber(redis.call('HGET', KEYS[1], 'lastFixAt') or '0')
local isNew = redis.call('SADD', KEYS[2], ARGV[1])
if isNew == 0 and tonumber(ARGV[4]) < last then return {0, 0} end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'lon', ARGV[2], 'lat', ARGV[3], 'lastFixAt', ARGV[4],
  'speedKmh', ARGV[5], 'headingDeg', ARGV[6], 'stake', ARGV[9] or '')
if isNew == 1 then
  redis.call('HSET', KEYS[1], 'callsign', ARGV[7], 'status', 'available', 'incidentId', '', 'statusSince', ARGV[8],
    'drillId', ARGV[10] or '')
end
redis.call('GEOADD', KEYS[3], ARGV[2], ARGV[3], ARGV[1])
return {isNew, 1}`,
  },
  /**
   * Assign a dispatchable unit to an incident awaiting dispatch, or fail with NOT_FOUND / CONFLICT /
   * UNIT_UNAVAILABLE / FORBIDDEN (a live unit to a drill incident or the reverse). Two dispatchers cannot both win.
   * KEYS: unit, incident, incident timeline. ARGV: unitId, incidentId, now, dispatchable unit statuses, assignable
   * incident states (comma lists), the timeline line of the implied 研判 step (pushed only when the incident was
   * still `received`), then timeline entries (JSON). The first dispatch time is kept on reassignment (response
   * times measure the first). Returns the incident's state before.
   */
  assignUnit: {
    numberOfKeys: 3,
    lua: `
local ustatus = redis.call('HGET', KEYS[1], 'status')
if not ustatus then return redis.error_reply('NOT_FOUND unit ' .. ARGV[1] .. ' does not exist') end
local istate = redis.call('HGET', KEYS[2], 'state')
if not istate then return redis.error_reply('NOT_FOUND incident ' .. ARGV[2] .. ' does not exist') end
local assignable = false
for s in string.gmatch(ARGV[5], '[^,]+') do if s == istate then assignable = true end end
if not assignable then
  return redis.error_reply('CONFLICT incident ' .. ARGV[2] .. ' is ' .. istate .. ', not awaiting dispatch')
end
local free = false
for s in string.gmatch(ARGV[4], '[^,]+') do if s == ustatus then free = true end end
if not free then return redis.error_reply('UNIT_UNAVAILABLE unit ' .. ARGV[1] .. ' is ' .. ustatus .. ', not available') end
local udrill = redis.call('HGET', KEYS[1], 'drillId') or ''
local idrill = redis.call('HGET', KEYS[2], 'drillId') or ''
if udrill ~= idrill then
  return redis.error_reply('FORBIDDEN unit ' .. ARGV[1] .. ' and incident ' .. ARGV[2] .. ' are not in the same drill')
end
redis.call('HSET', KEYS[1], 'status', 'dispatched', 'incidentId', ARGV[2], 'statusSince', ARGV[3])
redis.call('HSET', KEYS[2], 'state', 'dispatched', 'unitId', ARGV[1], 'updatedAt', ARGV[3])
if (redis.call('HGET', KEYS[2], 'assignedAt') or '') == '' then redis.call('HSET', KEYS[2], 'assignedAt', ARGV[3]) end
redis.call('HINCRBY', KEYS[2], 'rev', 1)
if istate == 'received' and ARGV[6] ~= '' then redis.call('RPUSH', KEYS[3], ARGV[6]) end
for i = 7, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
return istate`,
  },
  /**
   * Apply a crew's report: the unit must hold this incident and be in one of the allowed statuses (ARGV[3], comma list).
   * ARGV: unitId, incidentId, allowedFrom, nextUnitStatus, nextIncidentState ('' keeps the state), now,
   * clears ('1': the unit lets go of the incident, which is closed and leaves the open-incidents GEO set),
   * stampField (the incident field set to now unless already set: acknowledgedAt, arrivedAt, closedAt; '' for none), then
   * timeline entries (JSON) appended to KEYS[4]. Returns the incident's state before the report.
   */
  reportAssignment: {
    numberOfKeys: 4,
    lua: `
local ustatus = redis.call('HGET', KEYS[1], 'status')
if not ustatus then return redis.error_reply('NOT_FOUND unit ' .. ARGV[1] .. ' does not exist') end
local istate = redis.call('HGET', KEYS[2], 'state')
if not istate then return redis.error_reply('NOT_FOUND incident ' .. ARGV[2] .. ' does not exist') end
if redis.call('HGET', KEYS[1], 'incidentId') ~= ARGV[2] then
  return redis.error_reply('CONFLICT unit ' .. ARGV[1] .. ' is not assigned to incident ' .. ARGV[2])
end
local allowed = false
for s in string.gmatch(ARGV[3], '[^,]+') do if s == ustatus then allowed = true end end
if not allowed then
  return redis.error_reply('INVALID_TRANSITION unit ' .. ARGV[1] .. ' is ' .. ustatus .. ', cannot report ' .. ARGV[4])
end
if ARGV[7] == '1' then
  redis.call('HSET', KEYS[1], 'status', ARGV[4], 'incidentId', '', 'statusSince', ARGV[6])
  redis.call('ZREM', KEYS[3], ARGV[2])
else
  redis.call('HSET', KEYS[1], 'status', ARGV[4], 'statusSince', ARGV[6])
end
if ARGV[5] ~= '' and ARGV[5] ~= istate then redis.call('HSET', KEYS[2], 'state', ARGV[5]) end
if ARGV[8] ~= '' and (redis.call('HGET', KEYS[2], ARGV[8]) or '') == '' then redis.call('HSET', KEYS[2], ARGV[8], ARGV[6]) end
redis.call('HSET', KEYS[2], 'updatedAt', ARGV[6])
redis.call('HINCRBY', KEYS[2], 'rev', 1)
for i = 9, #ARGV do redis.call('RPUSH', KEYS[4], ARGV[i]) end
return istate`,
  },
  /**
   * Change an incident if nobody changed it since it was read (compare-and-set on its `rev`).
   * KEYS: incident hash, open-incidents GEO set, timeline list, unit hash (of a unit to release, or any key),
   * projection marker (or any key). ARGV: expectedRev, fields (JSON object of strings), geo ('add' | 'rem' |
   * 'keep'), lon, lat, incidentId, releaseUnitStatus ('' for none: otherwise the unit, if it still holds this
   * incident, lets go of it and takes this status), now, useMarker ('1': do nothing if the marker exists, set it
   * with the change: an ingest entry read twice is applied once), then timeline entries (JSON). Returns 1 when
   * stored, 0 on a version conflict, 2 when the marker says it was already applied.
   */
  updateIncident: {
    numberOfKeys: 5,
    lua: `
if ARGV[9] == '1' and redis.call('EXISTS', KEYS[5]) == 1 then return 2 end
local rev = redis.call('HGET', KEYS[1], 'rev') or '0'
if rev ~= ARGV[1] then return 0 end
local fields = cjson.decode(ARGV[2])
for k, v in pairs(fields) do redis.call('HSET', KEYS[1], k, v) end
redis.call('HSET', KEYS[1], 'rev', tostring(tonumber(rev) + 1))
if ARGV[3] == 'add' then redis.call('GEOADD', KEYS[2], ARGV[4], ARGV[5], ARGV[6]) end
if ARGV[3] == 'rem' then redis.call('ZREM', KEYS[2], ARGV[6]) end
if ARGV[7] ~= '' and redis.call('HGET', KEYS[4], 'incidentId') == ARGV[6] then
  redis.call('HSET', KEYS[4], 'status', ARGV[7], 'incidentId', '', 'statusSince', ARGV[8])
end
for i = 10, #ARGV do redis.call('RPUSH', KEYS[3], ARGV[i]) end
if ARGV[9] == '1' then redis.call('SET', KEYS[5], ARGV[6], 'EX', 86400) end
return 1`,
  },
  /**
   * Apply a report without an incident (back in service, off duty): the unit must hold no incident and be in
   * one of the allowed statuses. ARGV: unitId, allowedFrom (comma list), nextUnitStatus, now.
   */
  reportUnit: {
    numberOfKeys: 1,
    lua: `
local ustatus = redis.call('HGET', KEYS[1], 'status')
if not ustatus then return redis.error_reply('NOT_FOUND unit ' .. ARGV[1] .. ' does not exist') end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == ustatus then allowed = true end end
local incident = redis.call('HGET', KEYS[1], 'incidentId')
if not allowed or (incident and incident ~= '') then
  return redis.error_reply('INVALID_TRANSITION unit ' .. ARGV[1] .. ' is ' .. ustatus .. ', cannot report ' .. ARGV[3])
end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'statusSince', ARGV[4])
return 'OK'`,
  },
  /**
   * Store a weather station's alert state if nobody stored another since it was read (compare-and-set on
   * the `v` field of KEYS[1]; a missing key is version 0), and keep the active-warnings hash KEYS[2] in step.
   * ARGV: expectedVersion, stateJson, stationId, writeActive ('1' / '0'), activeJson ('' removes the station).
   * Returns 1 when stored, 0 on a version conflict (the caller reads again and re-applies).
   */
  storeAlertState: {
    numberOfKeys: 2,
    lua: `
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tostring(tonumber(v) + 1), 'state', ARGV[2])
if ARGV[4] == '1' then
  if ARGV[5] == '' then redis.call('HDEL', KEYS[2], ARGV[3]) else redis.call('HSET', KEYS[2], ARGV[3], ARGV[5]) end
end
return 1`,
  },
  /**
   * Raise an alarm: the open alarm of (source, type) counts one more signal, or a new alarm opens.
   * KEYS: open-alarms hash, alarm sequence, alarm index (sorted set), projection marker (or any key). ARGV: alarm
   * key prefix (`…:alarm:`), source, type, now, lon, lat, level, incidentId ('' keeps the alarm's), drillId,
   * useMarker ('1': a signal whose marker exists was counted already; the marker is set with the count).
   * Returns {id, isNew}.
   */
  raiseAlarm: {
    numberOfKeys: 4,
    lua: `
if ARGV[10] == '1' then
  local done = redis.call('GET', KEYS[4])
  if done then return {done, 0} end
end
local field = ARGV[2] .. '|' .. ARGV[3]
local id = redis.call('HGET', KEYS[1], field)
if id then
  local key = ARGV[1] .. id
  redis.call('HINCRBY', key, 'count', 1)
  redis.call('HSET', key, 'lastSeenAt', ARGV[4], 'lon', ARGV[5], 'lat', ARGV[6])
  if ARGV[7] ~= '' then redis.call('HSET', key, 'level', ARGV[7]) end
  if ARGV[8] ~= '' then redis.call('HSET', key, 'incidentId', ARGV[8]) end
  if ARGV[10] == '1' then redis.call('SET', KEYS[4], id, 'EX', 86400) end
  return {id, 0}
end
id = 'ALM-' .. redis.call('INCR', KEYS[2])
redis.call('HSET', ARGV[1] .. id, 'id', id, 'source', ARGV[2], 'type', ARGV[3], 'state', 'open', 'count', 1,
  'firstSeenAt', ARGV[4], 'lastSeenAt', ARGV[4], 'lon', ARGV[5], 'lat', ARGV[6], 'level', ARGV[7],
  'incidentId', ARGV[8], 'acknowledgedAt', '', 'acknowledgedBy', '', 'closedAt', '', 'closedBy', '', 'drillId', ARGV[9])
redis.call('HSET', KEYS[1], field, id)
redis.call('ZADD', KEYS[3], ARGV[4], id)
if ARGV[10] == '1' then redis.call('SET', KEYS[4], id, 'EX', 86400) end
return {id, 1}`,
  },
  /**
   * Close an open alarm. KEYS: open-alarms hash, the alarm. ARGV: now, closedBy, quietBefore (close only if
   * the last signal is older than this; '' to close regardless). Returns 1 when closed, 0 when it was not
   * open (or not quiet any more).
   */
  closeAlarm: {
    numberOfKeys: 2,
    lua: `
local state = redis.call('HGET', KEYS[2], 'state')
if not state or state == 'closed' then return 0 end
if ARGV[3] ~= '' and tonumber(redis.call('HGET', KEYS[2], 'lastSeenAt') or '0') >= tonumber(ARGV[3]) then return 0 end
local field = redis.call('HGET', KEYS[2], 'source') .. '|' .. redis.call('HGET', KEYS[2], 'type')
if redis.call('HGET', KEYS[1], field) == redis.call('HGET', KEYS[2], 'id') then redis.call('HDEL', KEYS[1], field) end
redis.call('HSET', KEYS[2], 'state', 'closed', 'closedAt', ARGV[1], 'closedBy', ARGV[2])
return 1`,
  },
  /**
   * Replace a JSON record if nobody replaced it since it was read (compare-and-set on the hash's `rev`; a
   * missing key is rev 0). KEYS: the record hash. ARGV: expectedRev, json. Returns 1 when stored, 0 on conflict.
   */
  casRecord: {
    numberOfKeys: 1,
    lua: `
local rev = redis.call('HGET', KEYS[1], 'rev') or '0'
if rev ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rev', tostring(tonumber(rev) + 1), 'json', ARGV[2])
return 1`,
  },
} as const;

type ScriptName = keyof typeof scripts;

/** ioredis client with Beacon's scripts registered as commands. */
export type BeaconRedis = Redis & {
  [K in ScriptName]: (...args: (string | number)[]) => Promise<unknown>;
};

/** Register Beacon's Lua scripts on a client (idempotent). */
export function withScripts(redis: Redis): BeaconRedis {
  for (const [name, script] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  return redis as BeaconRedis;
}

/** Turn a `CODE message` error reply from a script into its parts, or null when it is not one of ours. */
export function parseScriptError(error: unknown): { code: string; message: string } | null {
  if (!(error instanceof Error)) return null;
  const match = /^([A-Z_]+) (.*)$/s.exec(error.message);
  if (!match?.[1] || !match[2]) return null;
  return { code: match[1], message: match[2] };
}
