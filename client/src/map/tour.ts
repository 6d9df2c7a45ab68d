import type { FeatureCollection, Position } from 'geojson';
import type { Incident } from '@beacon/shared';

export type Bounds = [number, number, number, number];

/** One view of the tour: the whole region, a county, or a hotspot (an urgent open incident). */
export type TourStop =
  | { kind: 'region'; bounds: Bounds }
  | { kind: 'county'; adcode: string; name_zh: string; name_en: string; bounds: Bounds }
  | { kind: 'hotspot'; incidentId: string; center: [number, number] };

/** The bounding box of any polygon geometry's coordinates. */
export function boundsOf(coordinates: unknown): Bounds | null {
  let box: Bounds | null = null;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') {
      const [x, y] = c as Position as [number, number];
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
      return;
    }
    for (const child of c) visit(child);
  };
  visit(coordinates);
  return box;
}

/** The county stops of a region pack, by adcode. */
export function countyStops(boundaries: FeatureCollection): TourStop[] {
  const stops: TourStop[] = [];
  for (const f of boundaries.features) {
    const p = f.properties ?? {};
    if (p.level !== 'county' || !('coordinates' in f.geometry)) continue;
    const bounds = boundsOf(f.geometry.coordinates);
    if (!bounds) continue;
    stops.push({
      kind: 'county',
      adcode: String(p.adcode),
      name_zh: String(p.name_zh),
      name_en: String(p.name_en ?? p.name_zh),
      bounds,
    });
  }
  return stops.sort((a, b) => (a.kind === 'county' && b.kind === 'county' ? a.adcode.localeCompare(b.adcode) : 0));
}

const URGENCY = { P1: 0, P2: 1, P3: 2, P4: 3 } as const;

/** Up to `limit` hotspots: the open P1 and P2 incidents, most urgent and then oldest first. */
export function hotspotStops(openIncidents: readonly Incident[], limit = 3): TourStop[] {
  return openIncidents
    .filter((i) => i.priority === 'P1' || i.priority === 'P2')
    .sort((a, b) => URGENCY[a.priority] - URGENCY[b.priority] || a.createdAt - b.createdAt)
    .slice(0, limit)
    .map((i) => ({ kind: 'hotspot', incidentId: i.id, center: [i.lon, i.lat] }));
}

/** The tour: the whole region, then each county, then the hotspots; it starts again from the region. */
export function tourStops(region: Bounds, counties: readonly TourStop[], hotspots: readonly TourStop[]): TourStop[] {
  return [{ kind: 'region', bounds: region }, ...counties, ...hotspots];
}
