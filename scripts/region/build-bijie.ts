/**
 * Build the Bijie region pack in regions/bijie from ../shared/data/region-bijie (real boundaries and seats)
 * plus a reproducible SCHEMATIC expressway network between the real county seats (示意路网，非真实线位).
 * No real expressway geometry was available (see regions/bijie/SOURCES.upstream.md).
 *
 * The network: each corridor has two one-way carriageways (上行 `up` in the direction of increasing stake,
 * 下行 `down` the other way, 15 m either side of the centreline, right-hand traffic). At every interchange
 * (one per county seat on the corridor) and service area, off- and on-ramps on both carriageways meet at a
 * hub: that is where a vehicle can leave, turn around or change corridor. Hubs of interchanges are joined to
 * their county seat by an ordinary two-way road. Also placed: 14 weather stations, cameras every ~8 km,
 * patrol bases at service areas.
 *
 * Usage: pnpm tsx scripts/region/build-bijie.ts [sourceDir]   (deterministic: same input, same files)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { haversineM, bearingDeg, type LonLat } from '../../shared/src/index.ts';
import type { RoadProperties } from '../../shared/src/region.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sourceDir = path.resolve(process.argv[2] ?? path.join(repoRoot, '../shared/data/region-bijie'));
const outDir = path.join(repoRoot, 'regions/bijie');

const CARRIAGEWAY_OFFSET_M = 15;
const HUB_OFFSET_M = 400;
const MOTORWAY_KMH = 100;
const RAMP_KMH = 40;
const LOCAL_KMH = 50;
/** Leaving, crossing and re-entering at an interchange or service area takes time beyond the ramps' length. */
const TURN_DELAY_S = 60;
const CAMERA_EVERY_M = 8000;
const STATION_COUNT = 14;

interface Seat {
  name_zh: string;
  name_en: string;
  short_zh: string;
  coordinates: LonLat;
}

const pois = JSON.parse(fs.readFileSync(path.join(sourceDir, 'pois.geojson'), 'utf8')) as {
  features: { properties: Record<string, string>; geometry: { coordinates: LonLat } }[];
};
const seats = new Map<string, Seat>(
  pois.features
    .filter((f) => f.properties.level === 'county')
    .map((f) => {
      const zh = f.properties.name_zh!;
      const short = zh.replace(/(彝族回族苗族自治县|区|县|市)$/, '');
      return [
        zh,
        { name_zh: zh, name_en: f.properties.name_en!, short_zh: short, coordinates: f.geometry.coordinates },
      ];
    }),
);

/** Corridors as chains of county seats. Schematic: they connect real towns but do not follow real alignments. */
const CORRIDORS: { ref: string; name_zh: string; name_en: string; via: string[] }[] = [
  { ref: 'SX1', name_zh: '示意一号通道', name_en: 'Schematic corridor 1', via: ['七星关区', '大方县', '黔西市'] },
  {
    ref: 'SX2',
    name_zh: '示意二号通道',
    name_en: 'Schematic corridor 2',
    via: ['七星关区', '赫章县', '威宁彝族回族苗族自治县'],
  },
  { ref: 'SX3', name_zh: '示意三号通道', name_en: 'Schematic corridor 3', via: ['黔西市', '金沙县'] },
  {
    ref: 'SX4',
    name_zh: '示意四号通道',
    name_en: 'Schematic corridor 4',
    via: ['大方县', '纳雍县', '织金县', '黔西市'],
  },
];

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const roundPoint = (p: LonLat): LonLat => [round6(p[0]), round6(p[1])];

/** Move a point by metres east and north (small distances). */
function offsetM([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  const dLat = northM / 111_320;
  const dLon = eastM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [lon + dLon, lat + dLat];
}

/** Points every ~1.5 km between two seats, bent by a gentle deterministic curve so lines do not look ruled. */
function bend(a: LonLat, b: LonLat, seed: number): LonLat[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthDeg = Math.hypot(dx, dy);
  const steps = Math.max(8, Math.round(lengthDeg / 0.015));
  const amplitude = lengthDeg * 0.06;
  const nx = -dy / lengthDeg;
  const ny = dx / lengthDeg;
  const points: LonLat[] = [];
  for (let i = 0; i <= steps; i += 1) {
    const t = i / steps;
    const offset = amplitude * Math.sin(Math.PI * t) * Math.sin(seed + 2 * Math.PI * t * 1.5);
    points.push([a[0] + dx * t + nx * offset, a[1] + dy * t + ny * offset]);
  }
  return points;
}

/** A polyline with cumulative distances, for linear referencing. */
class Line {
  readonly cumulative: number[];
  constructor(readonly points: LonLat[]) {
    this.cumulative = [0];
    for (let i = 1; i < points.length; i += 1) {
      this.cumulative.push(this.cumulative[i - 1]! + haversineM(points[i - 1]!, points[i]!));
    }
  }
  get length(): number {
    return this.cumulative.at(-1)!;
  }
  private segmentAt(m: number): number {
    let i = 1;
    while (i < this.points.length - 1 && this.cumulative[i]! < m) i += 1;
    return i;
  }
  at(m: number): LonLat {
    const i = this.segmentAt(m);
    const a = this.points[i - 1]!;
    const b = this.points[i]!;
    const span = this.cumulative[i]! - this.cumulative[i - 1]!;
    const t = span === 0 ? 0 : Math.min(1, Math.max(0, (m - this.cumulative[i - 1]!) / span));
    return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
  }
  /** Bearing of travel at m, in degrees. */
  bearingAt(m: number): number {
    const i = this.segmentAt(m);
    return bearingDeg(this.points[i - 1]!, this.points[i]!);
  }
  /** The centreline vertices strictly between two stakes, plus the two ends. */
  slice(from: number, to: number): LonLat[] {
    const inner = this.points.filter((_, i) => this.cumulative[i]! > from && this.cumulative[i]! < to);
    return [this.at(from), ...inner, this.at(to)];
  }
}

/** Offset a point of the centreline to the right of the given bearing (right-hand traffic). */
function rightOf(point: LonLat, bearing: number, metres: number): LonLat {
  const rad = ((bearing + 90) * Math.PI) / 180;
  return offsetM(point, Math.sin(rad) * metres, Math.cos(rad) * metres);
}

type Feature<P> = { type: 'Feature'; properties: P; geometry: { type: string; coordinates: unknown } };
const roads: Feature<RoadProperties>[] = [];
const corridorLines: Feature<Record<string, unknown>>[] = [];
const poiFeatures: Feature<Record<string, unknown>>[] = [];
const siteFeatures: Feature<Record<string, unknown>>[] = [];

function road(
  props: Partial<RoadProperties> & Pick<RoadProperties, 'id' | 'class' | 'oneway' | 'speedKmh'>,
  coords: LonLat[],
) {
  roads.push({
    type: 'Feature',
    properties: {
      ref: null,
      name_zh: null,
      name_en: null,
      direction: null,
      stakeStartM: null,
      stakeEndM: null,
      via_zh: null,
      schematic: true,
      ...props,
    },
    geometry: { type: 'LineString', coordinates: coords.map(roundPoint) },
  });
}

/** Hubs by name, shared between corridors meeting at the same county seat. */
const hubs = new Map<string, LonLat>();
const seatRoadsBuilt = new Set<string>();

CORRIDORS.forEach((corridor, corridorIndex) => {
  const centre: LonLat[] = [];
  corridor.via.forEach((name, i) => {
    if (i === 0) return;
    const from = seats.get(corridor.via[i - 1]!)!.coordinates;
    const to = seats.get(name)!.coordinates;
    const segment = bend(from, to, corridorIndex * 1.7 + i);
    centre.push(...(centre.length ? segment.slice(1) : segment));
  });
  const line = new Line(centre);
  corridorLines.push({
    type: 'Feature',
    properties: {
      ref: corridor.ref,
      name_zh: corridor.name_zh,
      name_en: corridor.name_en,
      via_zh: corridor.via.join('—'),
      schematic: true,
    },
    geometry: { type: 'LineString', coordinates: centre.map(roundPoint) },
  });

  // Interchanges at each seat (stake of the seat along the centreline), service areas halfway between.
  const seatStakes = corridor.via.map((name) => {
    const seat = seats.get(name)!.coordinates;
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < line.points.length; i += 1) {
      const d = haversineM(line.points[i]!, seat);
      if (d < bestD) [bestD, best] = [d, line.cumulative[i]!];
    }
    return best;
  });
  const places: {
    stakeM: number;
    kind: 'interchange' | 'service_area';
    name_zh: string;
    name_en: string;
    seat?: string;
  }[] = [];
  corridor.via.forEach((name, i) => {
    const seat = seats.get(name)!;
    // Interchanges sit 1.5 km inside the corridor ends so both carriageways pass them.
    const stakeM = Math.min(Math.max(seatStakes[i]!, 1500), line.length - 1500);
    places.push({
      stakeM,
      kind: 'interchange',
      name_zh: `${seat.short_zh}互通`,
      name_en: `${seat.short_zh} interchange`,
      seat: name,
    });
    if (i > 0) {
      const mid = (seatStakes[i - 1]! + seatStakes[i]!) / 2;
      places.push({
        stakeM: mid,
        kind: 'service_area',
        name_zh: `${corridor.ref}-${i} 服务区`,
        name_en: `${corridor.ref}-${i} service area`,
      });
    }
  });
  places.sort((a, b) => a.stakeM - b.stakeM);

  // Carriageways, split at every place so ramps attach at shared vertices.
  const cuts = [0, ...places.map((p) => p.stakeM), line.length];
  const upAt = (m: number) => rightOf(line.at(m), line.bearingAt(m), CARRIAGEWAY_OFFSET_M);
  const downAt = (m: number) => rightOf(line.at(m), (line.bearingAt(m) + 180) % 360, CARRIAGEWAY_OFFSET_M);
  for (let i = 1; i < cuts.length; i += 1) {
    const from = cuts[i - 1]!;
    const to = cuts[i]!;
    if (to - from < 1) continue;
    const stakes = [from, ...line.cumulative.filter((c) => c > from && c < to), to];
    const common = {
      ref: corridor.ref,
      name_zh: corridor.name_zh,
      name_en: corridor.name_en,
      class: 'motorway' as const,
      oneway: true,
      speedKmh: MOTORWAY_KMH,
    };
    road(
      {
        ...common,
        id: `${corridor.ref}-up-${String(i).padStart(2, '0')}`,
        direction: 'up',
        stakeStartM: Math.round(from),
        stakeEndM: Math.round(to),
      },
      stakes.map(upAt),
    );
    road(
      {
        ...common,
        id: `${corridor.ref}-down-${String(i).padStart(2, '0')}`,
        direction: 'down',
        stakeStartM: Math.round(to),
        stakeEndM: Math.round(from),
      },
      [...stakes].reverse().map(downAt),
    );
  }

  // The schematic corridor ends inside the region; let traffic come back at both ends rather than dead-end.
  const turn = {
    ref: corridor.ref,
    class: 'turnaround' as const,
    oneway: true,
    speedKmh: RAMP_KMH,
    delayS: TURN_DELAY_S,
  };
  road({ ...turn, id: `${corridor.ref}-end-turn`, via_zh: `${corridor.ref} 终点` }, [
    upAt(line.length),
    downAt(line.length),
  ]);
  road({ ...turn, id: `${corridor.ref}-start-turn`, via_zh: `${corridor.ref} 起点` }, [downAt(0), upAt(0)]);

  // Ramps to and from a hub at every place: leave, turn around or change corridor there.
  places.forEach((place, p) => {
    const hubKey = place.seat ? `seat:${place.seat}` : `${corridor.ref}:${place.name_zh}`;
    let hub = hubs.get(hubKey);
    if (!hub) {
      hub = rightOf(line.at(place.stakeM), line.bearingAt(place.stakeM), HUB_OFFSET_M);
      hubs.set(hubKey, hub);
      poiFeatures.push({
        type: 'Feature',
        properties: {
          kind: place.kind,
          id: `${corridor.ref}-${place.kind}-${p}`,
          name_zh: place.name_zh,
          name_en: place.name_en,
          ref: corridor.ref,
          stakeM: Math.round(place.stakeM),
          schematic: true,
        },
        geometry: { type: 'Point', coordinates: roundPoint(hub) },
      });
    }
    const up = upAt(place.stakeM);
    const down = downAt(place.stakeM);
    const ramp = {
      class: 'motorway_link' as const,
      oneway: true,
      speedKmh: RAMP_KMH,
      via_zh: place.name_zh,
      ref: corridor.ref,
    };
    const tag = `${corridor.ref}-${p}`;
    road({ ...ramp, id: `${tag}-up-off` }, [up, hub]);
    road({ ...ramp, id: `${tag}-up-on`, delayS: TURN_DELAY_S }, [hub, up]);
    road({ ...ramp, id: `${tag}-down-off` }, [down, hub]);
    road({ ...ramp, id: `${tag}-down-on`, delayS: TURN_DELAY_S }, [hub, down]);
    if (place.kind === 'service_area') {
      siteFeatures.push({
        type: 'Feature',
        properties: {
          kind: 'patrol_base',
          id: `BASE-${corridor.ref}-${p}`,
          name_zh: `${place.name_zh}巡逻基地`,
          name_en: `${place.name_en} patrol base`,
          ref: corridor.ref,
          stakeM: Math.round(place.stakeM),
          direction: null,
          schematic: true,
        },
        geometry: { type: 'Point', coordinates: roundPoint(hub) },
      });
    }
    if (place.seat && !seatRoadsBuilt.has(place.seat)) {
      seatRoadsBuilt.add(place.seat);
      const seat = seats.get(place.seat)!;
      road(
        {
          id: `local-${seat.short_zh}`,
          class: 'primary',
          oneway: false,
          speedKmh: LOCAL_KMH,
          name_zh: `${seat.short_zh}连接线`,
          via_zh: place.name_zh,
        },
        [hub, seat.coordinates],
      );
    }
  });

  // Cameras every ~8 km, alternating carriageways.
  for (let m = 4000, n = 1; m < line.length - 1000; m += CAMERA_EVERY_M, n += 1) {
    const direction = n % 2 === 1 ? 'up' : 'down';
    siteFeatures.push({
      type: 'Feature',
      properties: {
        kind: 'camera',
        id: `CAM-${corridor.ref}-${String(n).padStart(2, '0')}`,
        name_zh: `${corridor.ref} 摄像机 ${n}`,
        ref: corridor.ref,
        stakeM: Math.round(m),
        direction,
        schematic: true,
      },
      geometry: { type: 'Point', coordinates: roundPoint(direction === 'up' ? upAt(m) : downAt(m)) },
    });
  }
  (corridorLines.at(-1)!.properties as Record<string, unknown>).lengthM = Math.round(line.length);
});

// 14 roadside weather stations spread evenly over the whole network length.
const total = corridorLines.reduce((sum, c) => sum + Number(c.properties.lengthM), 0);
for (let k = 0; k < STATION_COUNT; k += 1) {
  let at = ((k + 0.5) / STATION_COUNT) * total;
  for (const c of corridorLines) {
    const length = Number(c.properties.lengthM);
    if (at > length) {
      at -= length;
      continue;
    }
    const line = new Line(c.geometry.coordinates as LonLat[]);
    const id = `WS-${String(k + 1).padStart(2, '0')}`;
    siteFeatures.push({
      type: 'Feature',
      properties: {
        kind: 'weather_station',
        id,
        name_zh: `${id} 气象站`,
        name_en: `${id} weather station`,
        ref: c.properties.ref,
        stakeM: Math.round(at),
        direction: null,
        schematic: true,
      },
      geometry: { type: 'Point', coordinates: roundPoint(line.at(at)) },
    });
    break;
  }
}

const collection = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features }) + '\n';
fs.mkdirSync(outDir, { recursive: true });
for (const file of ['boundaries.geojson', 'context.geojson'])
  fs.copyFileSync(path.join(sourceDir, file), path.join(outDir, file));
fs.copyFileSync(path.join(sourceDir, 'SOURCES.md'), path.join(outDir, 'SOURCES.upstream.md'));
for (const file of fs.readdirSync(outDir)) fs.chmodSync(path.join(outDir, file), 0o644);
const seatFeatures = pois.features;
fs.writeFileSync(path.join(outDir, 'pois.geojson'), collection([...seatFeatures, ...poiFeatures]));
fs.writeFileSync(path.join(outDir, 'roads.geojson'), collection(roads));
fs.writeFileSync(path.join(outDir, 'corridors.geojson'), collection(corridorLines));
fs.writeFileSync(path.join(outDir, 'sites.geojson'), collection(siteFeatures));
fs.rmSync(path.join(outDir, 'schematic-roads.geojson'), { force: true });

const AMAP = {
  attribution: '行政区划边界：DataV.GeoAtlas / 高德地图 (AMap)',
  licence: 'AMap service terms (not open data); see SOURCES.upstream.md',
};
const SCHEMATIC = {
  attribution: 'Beacon 示意路网（scripts/region/build-bijie.ts 生成）',
  licence: 'generated, no third-party data',
  schematic: true,
  label_zh: '示意路网，非真实线位',
  label_en: 'Schematic roads, not real alignments',
};
const manifest = {
  id: 'bijie',
  name_zh: '毕节市',
  name_en: 'Bijie',
  bbox: [103.599577, 26.363213, 106.717179, 27.77855],
  center: [105.3, 27.05],
  files: {
    boundaries: { file: 'boundaries.geojson', ...AMAP },
    context: { file: 'context.geojson', ...AMAP },
    pois: {
      file: 'pois.geojson',
      ...AMAP,
      note: 'county seats are real; interchanges and service areas are schematic',
    },
    roads: { file: 'roads.geojson', ...SCHEMATIC },
    corridors: { file: 'corridors.geojson', ...SCHEMATIC },
    sites: { file: 'sites.geojson', ...SCHEMATIC },
  },
};
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(
  `wrote ${outDir}: ${corridorLines.length} corridors (${Math.round(total / 1000)} km), ${roads.length} ways, ` +
    `${poiFeatures.length} interchanges/service areas, ${siteFeatures.length} sites`,
);
