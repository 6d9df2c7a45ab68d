import { z } from 'zod';

/** What raised an alarm: a camera's pedestrian detection, or a weather station's hazard. */
export const ALARM_TYPES = ['pedestrian', 'fog', 'ice', 'gale', 'rainstorm'] as const;
export const AlarmType = z.enum(ALARM_TYPES);
export type AlarmType = z.output<typeof AlarmType>;

/**
 * An alarm is one device's repeated signal about one thing: there is at most one open alarm per
 * (source, type); repeats raise its count and last-seen time. It closes itself after a quiet period, or a
 * person acknowledges (still open, still counting) or clears it (closed).
 */
export const Alarm = z.object({
  id: z.string(),
  /** `camera:<id>` or `station:<id>`. */
  source: z.string(),
  type: AlarmType,
  state: z.enum(['open', 'acknowledged', 'closed']),
  count: z.number().int(),
  /** Server time of the first and the latest signal, epoch ms. */
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  /** Warning level for weather alarms; null for detections. */
  level: z.string().nullable(),
  /** The incident the alarm is correlated with. */
  incidentId: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: z.string().nullable(),
  closedAt: z.number().nullable(),
  /** `quiet` when it closed itself, `cleared` when its condition cleared, else the person's actor id. */
  closedBy: z.string().nullable(),
  drillId: z.string().nullable().default(null),
});
export type Alarm = z.output<typeof Alarm>;
