import { z } from 'zod';

/**
 * A duration as written in a scenario: `90s`, `40m`, `1h30m`, `2h`, or `0`. Parsed to milliseconds.
 */
export const Duration = z
  .union([z.literal(0), z.string().regex(/^(0|(?=\d)(\d+h)?(\d+m)?(\d+s)?)$/, 'a duration like 90s, 40m, 1h30m or 0')])
  .transform((value) => {
    if (value === 0 || value === '0') return 0;
    const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)!;
    return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
  });

/** A corridor reference of the region pack (`SX1`). */
const CorridorRef = z.string().regex(/^[A-Za-z0-9]{1,16}$/, 'a corridor ref of the region pack, e.g. SX1');
/** A stake in kilometres from the corridor's start. */
const StakeKm = z.number().min(0).max(2000);
/** `all`, or a list of corridor refs. */
const Corridors = z.union([z.literal('all'), z.array(CorridorRef).min(1)]).default('all');

/** A value over time within an episode: linear between points, held before the first and after the last. */
const Profile = <T extends z.ZodType<number>>(value: T) =>
  z
    .array(z.strictObject({ at: Duration, value }))
    .min(1)
    .refine((points) => points.every((p, i) => i === 0 || p.at >= points[i - 1]!.at), 'points must be in time order');

const EpisodeBase = { at: Duration, duration: Duration };

/** A fog bank lying over a stretch of one corridor and drifting along it. */
export const FogBank = z.strictObject({
  ...EpisodeBase,
  episode: z.literal('fog_bank'),
  corridor: CorridorRef,
  fromKm: StakeKm,
  toKm: StakeKm,
  /** How fast the bank drifts along the corridor, km/h (negative: towards the corridor's start). */
  driftKmh: z.number().min(-60).max(60).default(0),
  /** Visibility inside the bank, metres, over the episode. */
  visibilityM: Profile(z.number().min(0).max(100_000)),
});

/** A freezing night: the road surface falls below 0 °C, with drizzle. */
export const FreezingNight = z.strictObject({
  ...EpisodeBase,
  episode: z.literal('freezing_night'),
  corridors: Corridors,
  roadSurfaceTempC: Profile(z.number().min(-60).max(90)),
  /** Drizzle, mm per hour. */
  drizzleMmH: z.number().min(0).max(20).default(0.3),
});

/** A gale front sweeping across the region. */
export const GaleFront = z.strictObject({
  ...EpisodeBase,
  episode: z.literal('gale_front'),
  /** The direction the front moves towards. */
  towards: z.enum(['east', 'west', 'north', 'south']),
  speedKmh: z.number().positive().max(200),
  /** Mean wind at a station while the front passes, m/s. */
  windSpeedMs: z.number().min(0).max(120),
  /** How long the front's strong wind lasts at one station. */
  lastsAtStation: Duration,
  corridors: Corridors,
});

/** A rainstorm over some corridors; rain as a rate in mm per hour. */
export const Rainstorm = z.strictObject({
  ...EpisodeBase,
  episode: z.literal('rainstorm'),
  corridors: Corridors,
  rateMmH: Profile(z.number().min(0).max(500)),
});

/** A person walks onto the carriageway at a stake; `cameras` neighbouring cameras see them. */
export const WalkOnEvent = z.strictObject({
  at: Duration,
  event: z.literal('walk_on'),
  corridor: CorridorRef,
  stakeKm: StakeKm,
  direction: z.enum(['up', 'down']).default('up'),
  cameras: z.number().int().min(1).max(10).default(2),
  confidence: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.8, 0.97]),
});

/** A camera reports a person who is not there, with low confidence. */
export const FalsePositive = z.strictObject({
  at: Duration,
  event: z.literal('false_positive'),
  corridor: CorridorRef,
  stakeKm: StakeKm,
  confidence: z.number().min(0).max(1).default(0.3),
});

/** A car's GPS falls silent for a while (a tunnel, a faulty receiver). */
export const GpsDropout = z.strictObject({
  at: Duration,
  event: z.literal('gps_dropout'),
  unit: z.string().min(1).max(64),
  duration: Duration,
});

const EpisodeItem = z.discriminatedUnion('episode', [FogBank, FreezingNight, GaleFront, Rainstorm]);
const EventItem = z.discriminatedUnion('event', [WalkOnEvent, FalsePositive, GpsDropout]);

/** One line of the timeline: an episode (with a duration) or an event (at one moment). */
export const TimelineItem = z
  .unknown()
  .transform((item, ctx): z.output<typeof EpisodeItem> | z.output<typeof EventItem> => {
    const schema = item && typeof item === 'object' && 'episode' in item ? EpisodeItem : EventItem;
    if (!(item && typeof item === 'object' && ('episode' in item || 'event' in item))) {
      ctx.addIssue({
        code: 'custom',
        message:
          'each timeline item needs `episode:` (fog_bank, freezing_night, gale_front, rainstorm) or `event:` (walk_on, false_positive, gps_dropout)',
      });
      return z.NEVER;
    }
    const result = schema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues)
        ctx.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message } as never);
      return z.NEVER;
    }
    return result.data;
  });
export type TimelineItem = z.output<typeof TimelineItem>;
export type Episode = Extract<TimelineItem, { episode: string }>;
export type ScenarioEvent = Extract<TimelineItem, { event: string }>;

const RegionDefault = z.literal('region default');

export const Scenario = z
  .strictObject({
    /** Used in device event ids and as the default drill id. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '1–32 letters, digits, _ or -'),
    title: z.string().max(200).optional(),
    /** Region pack id: the directory `regions/<region>`. */
    region: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'a region pack id, e.g. bijie'),
    /** Simulated start time, ISO-8601 with an offset (`2026-11-25T22:00:00+08:00`). */
    start: z.iso.datetime({ offset: true, message: 'ISO-8601 with an offset, e.g. 2026-11-25T22:00:00+08:00' }),
    /** Simulated seconds per real second when run (`drill:run --speed` overrides it). */
    speed: z.number().positive().max(1000).default(10),
    /** Seed of every random choice: the same seed gives the same device events. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    duration: Duration,
    fleet: z
      .strictObject({
        /** Number of patrol cars, or the region default (12). */
        units: z.union([z.number().int().min(1).max(9999), RegionDefault]).default('region default'),
        /** Number of weather stations, or the region default (14). */
        stations: z.union([z.number().int().min(1).max(9999), RegionDefault]).default('region default'),
        /** Camera spacing along each corridor in km, or the region default (2 km). */
        cameras: z
          .union([z.strictObject({ spacingKm: z.number().min(0.2).max(50) }), RegionDefault])
          .default('region default'),
        gps: z
          .strictObject({
            everyS: z.number().min(1).max(300).default(5),
            noiseM: z.number().min(0).max(100).default(3),
            dropoutChance: z.number().min(0).max(1).default(0),
          })
          .default({ everyS: 5, noiseM: 3, dropoutChance: 0 }),
        /** Whether the crews answer dispatches on their own (each car gets a terminal device). */
        crews: z.boolean().default(true),
      })
      .default({
        units: 'region default',
        stations: 'region default',
        cameras: 'region default',
        gps: { everyS: 5, noiseM: 3, dropoutChance: 0 },
        crews: true,
      }),
    /** Random background activity on top of the timeline. */
    background: z
      .strictObject({
        walkOnsPerHour: z.number().min(0).max(600).default(0),
        falsePositivesPerHour: z.number().min(0).max(600).default(0),
      })
      .default({ walkOnsPerHour: 0, falsePositivesPerHour: 0 }),
    timeline: z.array(TimelineItem).default([]),
  })
  .superRefine((scenario, ctx) => {
    scenario.timeline.forEach((item, index) => {
      const end = item.at + ('duration' in item ? item.duration : 0);
      if (item.at > scenario.duration || ('episode' in item && end > scenario.duration + 1)) {
        ctx.addIssue({
          code: 'custom',
          path: ['timeline', index, 'at'],
          message: 'lies beyond the scenario duration',
        });
      }
      if ('episode' in item && item.episode === 'fog_bank' && item.toKm <= item.fromKm) {
        ctx.addIssue({ code: 'custom', path: ['timeline', index, 'toKm'], message: 'must be greater than fromKm' });
      }
    });
  });
export type Scenario = z.output<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
