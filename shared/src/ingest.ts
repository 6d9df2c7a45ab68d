import { z } from 'zod';
import { Latitude, Longitude } from './geo.ts';
import { DeviceTimestamp } from './time.ts';

/** Device-chosen id of one report; repeating it makes the report a duplicate, never a second event. */
export const EventId = z.string().trim().min(1).max(128);
const Id = z.string().trim().min(1).max(64);

/** Coordinate system of an item's lon/lat: WGS-84 unless the device says GCJ-02 (converted at the entrance). */
export const Crs = z.enum(['wgs84', 'gcj02']);

/** A camera saw a person on the carriageway. */
export const PedestrianDetected = z.strictObject({
  eventId: EventId,
  ts: DeviceTimestamp,
  lon: Longitude,
  lat: Latitude,
  confidence: z.number().min(0).max(1),
  cameraId: Id.optional(),
  direction: z.enum(['up', 'down']).optional(),
  imageUrl: z.url().max(2048).optional(),
  crs: Crs.optional(),
});
export type PedestrianDetected = z.output<typeof PedestrianDetected>;
export type PedestrianDetectedInput = z.input<typeof PedestrianDetected>;

/** A roadside weather station's reading. */
export const WeatherObserved = z.strictObject({
  eventId: EventId,
  ts: DeviceTimestamp,
  stationId: Id,
  visibilityM: z.number().min(0).max(100_000).optional(),
  roadSurfaceTempC: z.number().min(-60).max(90).optional(),
  airTempC: z.number().min(-60).max(60).optional(),
  windSpeedMs: z.number().min(0).max(120).optional(),
  precipitationMm: z.number().min(0).max(500).optional(),
  roadSurfaceState: z.enum(['dry', 'wet', 'snow', 'ice']).optional(),
});
export type WeatherObserved = z.output<typeof WeatherObserved>;
export type WeatherObservedInput = z.input<typeof WeatherObserved>;

/** A patrol car's GPS fix. */
export const GpsReported = z.strictObject({
  eventId: EventId,
  ts: DeviceTimestamp,
  unitId: Id,
  lon: Longitude,
  lat: Latitude,
  speedKmh: z.number().min(0).max(400).optional(),
  headingDeg: z.number().min(0).max(360).optional(),
  crs: Crs.optional(),
});
export type GpsReported = z.output<typeof GpsReported>;
export type GpsReportedInput = z.input<typeof GpsReported>;

export const INGEST_KINDS = ['pedestrian', 'weather', 'gps'] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

/** One item of a batch: the event's own fields plus its kind. */
export const BatchItem = z.discriminatedUnion('kind', [
  PedestrianDetected.extend({ kind: z.literal('pedestrian') }),
  WeatherObserved.extend({ kind: z.literal('weather') }),
  GpsReported.extend({ kind: z.literal('gps') }),
]);
export type BatchItem = z.output<typeof BatchItem>;
export type BatchItemInput = z.input<typeof BatchItem>;

export const MAX_BATCH_ITEMS = 1000;

/** What an accepted report or batch is acknowledged with. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/** The ingest socket event that carries each kind. */
export const INGEST_EVENT_BY_KIND = {
  pedestrian: 'pedestrian:detected',
  weather: 'weather:observed',
  gps: 'gps:reported',
} as const satisfies Record<IngestKind, string>;

export const INGEST_SCHEMA_BY_KIND = {
  pedestrian: PedestrianDetected,
  weather: WeatherObserved,
  gps: GpsReported,
} as const;
