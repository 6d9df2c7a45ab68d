import type { Ack, CarriagewayDirection, IngestResult } from '@beacon/shared';
import { matchToRoad, pointAtStake } from '@beacon/server';
import type { TestStack } from './stack.ts';

/** A patrol unit placed by stake: its id, the road's ref, the metre mark and the carriageway. */
export type RoadUnit = [id: string, ref: string, m: number, direction: CarriagewayDirection];

/**
 * Eight units on the schematic network, by stake. BJ-03 is the closest to SX1 K20+000 up by straight line, but
 * on the opposite carriageway; BJ-07 is 2 km behind it on the same carriageway and ranks first.
 */
export const FLEET: readonly RoadUnit[] = [
  ['BJ-01', 'SX1', 3_000, 'up'],
  ['BJ-02', 'SX1', 30_000, 'down'],
  ['BJ-03', 'SX1', 20_300, 'down'],
  ['BJ-04', 'SX2', 40_000, 'up'],
  ['BJ-05', 'SX2', 90_000, 'down'],
  ['BJ-06', 'SX1', 70_000, 'down'],
  ['BJ-07', 'SX1', 18_000, 'up'],
  ['BJ-08', 'SX4', 60_000, 'up'],
];

/** The point at a stake on a motorway carriageway of the stack's road network. */
export function onRoad(
  stack: TestStack,
  ref: string,
  m: number,
  direction: CarriagewayDirection,
): { lon: number; lat: number } {
  const [lon, lat] = pointAtStake(stack.app.roads.graph, { ref, m, direction })!;
  return { lon, lat };
}

/**
 * Report each unit's GPS fix at its stake, heading along its carriageway, in one `ingest:batch` from the
 * patrol device `browser-fleet` (event ids `seed-0`, `seed-1`, …); `speedKmh: null` leaves the speed out.
 */
export async function seedUnitsOnRoad(
  stack: TestStack,
  units: readonly RoadUnit[],
  { speedKmh = 80 }: { speedKmh?: number | null } = {},
): Promise<Ack<IngestResult>> {
  const fleet = await stack.ingestSocket('browser-fleet', 'patrol');
  const ts = stack.clock.now();
  return fleet.emitWithAck(
    'ingest:batch',
    units.map(([unitId, ref, m, direction], i) => {
      const at = onRoad(stack, ref, m, direction);
      const { bearing } = matchToRoad(stack.app.roads.graph, [at.lon, at.lat], { direction, motorwayOnly: true })!.edge;
      const speed = speedKmh === null ? {} : { speedKmh };
      return {
        kind: 'gps' as const,
        eventId: `seed-${i}`,
        ts,
        unitId,
        ...at,
        ...speed,
        headingDeg: Math.round(bearing),
      };
    }),
  );
}
