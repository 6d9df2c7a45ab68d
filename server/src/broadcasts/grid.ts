import { haversineM } from '@beacon/shared';

/** Grid cells (网格) are 0.02° squares (about 2 × 2.2 km here): the unit residents' groups are organised by. */
export const CELL_DEG = 0.02;

/** `G5300-1357`: column and row of the cell holding a point. */
export function cellOf(lon: number, lat: number): string {
  return `G${Math.floor(lon / CELL_DEG)}-${Math.floor(lat / CELL_DEG)}`;
}

function centreOf(cell: string): [number, number] {
  const [, col, row] = /^G(-?\d+)-(-?\d+)$/.exec(cell)!;
  return [(Number(col) + 0.5) * CELL_DEG, (Number(row) + 0.5) * CELL_DEG];
}

/** The cells whose centre lies within `radiusM` of any of the points (at least each point's own cell), sorted. */
export function cellsNear(points: [number, number][], radiusM: number): string[] {
  const cells = new Set<string>();
  const reach = Math.ceil(radiusM / 1800) + 1;
  for (const [lon, lat] of points) {
    cells.add(cellOf(lon, lat));
    const col = Math.floor(lon / CELL_DEG);
    const row = Math.floor(lat / CELL_DEG);
    for (let dc = -reach; dc <= reach; dc += 1) {
      for (let dr = -reach; dr <= reach; dr += 1) {
        const cell = `G${col + dc}-${row + dr}`;
        if (haversineM([lon, lat], centreOf(cell)) <= radiusM) cells.add(cell);
      }
    }
  }
  return [...cells].sort();
}
