import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchItem,
  BeaconError,
  INGEST_SCHEMA_BY_KIND,
  parseOrThrow,
  type Ack,
  type IngestResult,
} from '@beacon/shared';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const NOW = Date.parse('2026-11-25T12:00:00+08:00');

const anyValue = fc.oneof(fc.anything(), fc.string(), fc.double(), fc.integer(), fc.constant(null));
const eventId = fc.string({ minLength: 1, maxLength: 20 }).filter((id) => id.trim().length > 0);
const ts = fc.oneof(
  fc.integer({ min: NOW - 86_400_000, max: NOW }),
  fc.integer({ min: NOW - 86_400_000, max: NOW }).map((t) => new Date(t).toISOString()),
);
const id = fc.string({ minLength: 1, maxLength: 64 }).filter((v) => v.trim().length > 0);
const lon = fc.double({ min: 97, max: 110, noNaN: true });
const lat = fc.double({ min: 21, max: 30, noNaN: true });

/** Valid items of each kind. */
const validItem = fc.oneof(
  fc.record(
    {
      kind: fc.constant('gps'),
      eventId,
      ts,
      unitId: id,
      lon,
      lat,
      speedKmh: fc.double({ min: 0, max: 400, noNaN: true }),
      crs: fc.constantFrom('wgs84', 'gcj02'),
    },
    { requiredKeys: ['kind', 'eventId', 'ts', 'unitId', 'lon', 'lat'] },
  ),
  fc.record(
    {
      kind: fc.constant('pedestrian'),
      eventId,
      ts,
      lon,
      lat,
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      direction: fc.constantFrom('up', 'down'),
    },
    { requiredKeys: ['kind', 'eventId', 'ts', 'lon', 'lat', 'confidence'] },
  ),
  fc.record(
    {
      kind: fc.constant('weather'),
      eventId,
      ts,
      stationId: id,
      visibilityM: fc.double({ min: 0, max: 100_000, noNaN: true }),
      roadSurfaceState: fc.constantFrom('dry', 'wet', 'snow', 'ice'),
    },
    { requiredKeys: ['kind', 'eventId', 'ts', 'stationId'] },
  ),
);
const FIELDS = [
  'kind',
  'eventId',
  'ts',
  'lon',
  'lat',
  'unitId',
  'stationId',
  'confidence',
  'speedKmh',
  'crs',
  'direction',
  'extra',
  '__proto__',
  'constructor',
];
/** Valid items, half of them with one field replaced (or added) by anything at all. */
const nearValidItem = fc
  .tuple(validItem, fc.option(fc.tuple(fc.constantFrom(...FIELDS), anyValue), { freq: 2 }))
  .map(([item, change]) => (change ? { ...item, [change[0]]: change[1] } : item) as Record<string, unknown>);
const input = fc.oneof(fc.jsonValue(), fc.anything(), nearValidItem);

describe('fuzz: the ingest schemas with generated input (fast-check)', () => {
  it('either accept an item whose stored form validates again, or refuse it with INVALID naming a field', () => {
    fc.assert(
      fc.property(input, (raw) => {
        let item: ReturnType<typeof parseOrThrow<typeof BatchItem>>;
        try {
          item = parseOrThrow(BatchItem, raw);
        } catch (error) {
          expect(error).toBeInstanceOf(BeaconError);
          expect((error as BeaconError).code).toBe('INVALID');
          expect((error as BeaconError).message.length).toBeGreaterThan(0);
          return;
        }
        // What the pipeline reads back from the stream (JSON, without the kind) must pass its schema again.
        const { kind, ...event } = item;
        const stored = JSON.parse(JSON.stringify(event)) as unknown;
        expect(INGEST_SCHEMA_BY_KIND[kind].safeParse(stored).success).toBe(true);
        expect(typeof item.ts).toBe('number');
        expect(Number.isFinite(item.ts)).toBe(true);
      }),
      { numRuns: 5000, seed: 20261125 },
    );
  });

  describe('through the real server', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startTestStack();
    });
    afterAll(async () => {
      await stack.stop();
    });

    it('answers every generated batch with a well-formed ack, stores what it accepts, and keeps serving', async () => {
      const socket = await stack.ingestSocket('fuzz-gw', 'patrol');
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(nearValidItem, { maxLength: 5 }), async (batch) => {
          const answer = (await socket.emitWithAck('ingest:batch', batch as never)) as Ack<IngestResult>;
          if (answer.ok) {
            accepted += answer.data.accepted;
            expect(answer.data.accepted + answer.data.duplicates).toBe(batch.length);
          } else {
            expect(['INVALID', 'FORBIDDEN']).toContain(answer.error.code);
            expect(answer.error.message.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: 300, seed: 20261125 },
      );
      expect(accepted).toBeGreaterThan(0);
      expect(await stack.redis.xlen('beacon:ingest')).toBe(accepted);
      await stack.settled();
      expect(await socket.emitWithAck('device:info', {})).toMatchObject({ ok: true });
    });
  });
});
