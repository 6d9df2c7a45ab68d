import type { Feature, FeatureCollection, LineString } from 'geojson';
import { haversineM, type ActiveWeatherAlert, type LonLat } from '@beacon/shared';
import { topLevel } from '../stores/situation.ts';

type Segment = NonNullable<ActiveWeatherAlert['segment']>;

/** The part of a polyline between two distances along it (metres from its start). */
export function slicePolyline(coords: LonLat[], fromM: number, toM: number): LonLat[] {
  const out: LonLat[] = [];
  let along = 0;
  for (let i = 1; i < coords.length; i += 1) {
    const a = coords[i - 1]!;
    const b = coords[i]!;
    const length = haversineM(a, b);
    const start = along;
    const end = along + length;
    along = end;
    if (end < fromM || start > toM || length === 0) continue;
    const at = (m: number): LonLat => {
      const t = Math.min(1, Math.max(0, (m - start) / length));
      return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    };
    if (out.length === 0) out.push(at(Math.max(fromM, start)));
    out.push(at(Math.min(toM, end)));
  }
  return out.length >= 2 ? out : [];
}

/**
 * The road lines of a controlled section: every motorway way of the segment's ref, clipped to the stake
 * range (stakes run linearly along each way, as on the server).
 */
export function segmentLines(roads: FeatureCollection | null, segment: Segment): LonLat[][] {
  if (!roads) return [];
  const lines: LonLat[][] = [];
  for (const feature of roads.features) {
    const p = feature.properties ?? {};
    if (feature.geometry.type !== 'LineString' || p.ref !== segment.ref || p.class !== 'motorway') continue;
    const s0 = p.stakeStartM as number | null | undefined;
    const s1 = p.stakeEndM as number | null | undefined;
    if (typeof s0 !== 'number' || typeof s1 !== 'number' || s0 === s1) continue;
    const coords = (feature.geometry as LineString).coordinates as LonLat[];
    const total = coords.slice(1).reduce((sum, c, i) => sum + haversineM(coords[i]!, c), 0);
    const toDistance = (stake: number) => ((stake - s0) / (s1 - s0)) * total;
    const a = toDistance(segment.fromStakeM);
    const b = toDistance(segment.toStakeM);
    const [fromM, toM] = [Math.max(0, Math.min(a, b)), Math.min(total, Math.max(a, b))];
    if (fromM >= toM) continue;
    const line = slicePolyline(coords, fromM, toM);
    if (line.length >= 2) lines.push(line);
  }
  return lines;
}

/** Map features of the active warnings: each station as a point and its section as lines, with the level. */
export function weatherAlertsToGeoJSON(
  alerts: readonly ActiveWeatherAlert[],
  roads: FeatureCollection | null,
): FeatureCollection {
  const features: Feature[] = [];
  for (const alert of alerts) {
    const level = topLevel(alert);
    const properties = { stationId: alert.stationId, level, closed: alert.measure?.closed ?? false };
    if (alert.segment) {
      for (const line of segmentLines(roads, alert.segment)) {
        features.push({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: line } });
      }
    }
    if (alert.lon !== null && alert.lat !== null) {
      features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [alert.lon, alert.lat] } });
    }
  }
  return { type: 'FeatureCollection', features };
}
