/**
 * A small made-up OSM extract near Bijie for the importer's tests, written as OSM XML, osmium-style GeoJSON
 * and `.osm.pbf` from one description. About 7 km of the G56:
 *
 *   n1 ─ n2 ─ n3 ─ n4 ─ n5 ═══ tunnel (way 400) ═══ n41 ─ n42     eastbound carriageway (way 100, implied oneway)
 *   n11 ─ n12 ─ n13 ─ n14 ─ n15                                    westbound (way 200, oneway=-1, maxspeed=80)
 *               │ (301, oneway=no)
 *   n3 ──────── n21 ─ n22 (toll booth) ─ trunk 700 (60 mph) ─ n51 ─ trunk_link 701 ─ n52
 *   (link 300)
 *
 * n3 is the junction 毕节东 (ref 12), n14 the unnamed junction 15, n30 a service area and way 800 one drawn
 * as an area; way 500 lies outside the bbox, way 600 is a primary road (not imported), n32 a fuel station
 * far from the motorway.
 */
import fs from 'node:fs';
import type { OsmNode, OsmTags, OsmWay } from './osm-model.ts';
import { writeOsmPbf } from './osm-pbf-write.ts';

export const FIXTURE_BBOX = '105.29,27.28,105.36,27.31';

const E = 27.3;
const W = 27.3003;
const node = (id: number, lon: number, lat: number, tags: OsmTags | null = null): OsmNode => ({ id, lon, lat, tags });

export const FIXTURE_NODES: OsmNode[] = [
  node(1, 105.3, E),
  node(2, 105.31, E),
  node(3, 105.32, E, { highway: 'motorway_junction', name: '毕节东', ref: '12' }),
  node(4, 105.33, E),
  node(5, 105.34, E),
  node(11, 105.3, W),
  node(12, 105.31, W),
  node(13, 105.32, W),
  node(14, 105.33, W, { highway: 'motorway_junction', ref: '15' }),
  node(15, 105.34, W),
  node(21, 105.325, 27.296),
  node(22, 105.328, 27.292, { barrier: 'toll_booth', name: '毕节东收费站' }),
  node(30, 105.335, 27.299, { highway: 'services', name: '毕节服务区', 'name:en': 'Bijie Services' }),
  node(32, 105.295, 27.29, { amenity: 'fuel', name: '城区加油站' }),
  node(41, 105.35, E),
  node(42, 105.37, E),
  node(51, 105.33, 27.285),
  node(52, 105.331, 27.284),
  node(61, 105.5, E, { highway: 'motorway_junction', name: '远方' }),
  node(62, 105.52, E),
  node(71, 105.31, 27.28),
  node(81, 105.3445, 27.2982),
  node(82, 105.3455, 27.2982),
  node(83, 105.3455, 27.2988),
  node(84, 105.3445, 27.2988),
];

export const FIXTURE_WAYS: OsmWay[] = [
  {
    id: 100,
    refs: [1, 2, 3, 4, 5],
    tags: { highway: 'motorway', ref: 'G56;G76', name: '杭瑞高速', 'name:en': 'Hangzhou–Ruili Expressway' },
  },
  {
    id: 200,
    refs: [11, 12, 13, 14, 15],
    tags: {
      highway: 'motorway',
      ref: 'G56',
      name: '杭瑞高速公路',
      'name:zh': '杭瑞高速',
      oneway: '-1',
      maxspeed: '80',
    },
  },
  { id: 300, refs: [3, 21, 22], tags: { highway: 'motorway_link' } },
  { id: 301, refs: [13, 21], tags: { highway: 'motorway_link', oneway: 'no' } },
  {
    id: 400,
    refs: [5, 41, 42],
    tags: { highway: 'motorway', ref: 'G56', tunnel: 'yes', 'tunnel:name': '白岩隧道', maxspeed: '100 km/h' },
  },
  { id: 500, refs: [61, 62], tags: { highway: 'motorway', ref: 'G56' } },
  { id: 600, refs: [22, 71], tags: { highway: 'primary', name: '毕节大道' } },
  { id: 700, refs: [22, 51], tags: { highway: 'trunk', ref: 'S20', maxspeed: '60 mph' } },
  { id: 701, refs: [51, 52], tags: { highway: 'trunk_link', oneway: 'yes' } },
  { id: 800, refs: [81, 82, 83, 84, 81], tags: { highway: 'services', name: '大方服务区' } },
];

/** The fixture's point for a node id, [lon, lat]. */
export const at = (id: number): [number, number] => {
  const n = FIXTURE_NODES.find((x) => x.id === id)!;
  return [n.lon, n.lat];
};

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tagsXml = (tags: OsmTags | null) =>
  Object.entries(tags ?? {})
    .map(([k, v]) => `\n    <tag k="${escapeXml(k)}" v="${escapeXml(v)}"/>`)
    .join('');

/** OSM XML as osmium writes it (nodes, then ways, then relations). */
export function fixtureXml(nodes = FIXTURE_NODES, ways = FIXTURE_WAYS): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<osm version="0.6" generator="beacon test fixture">`,
    `  <bounds minlat="27.28" minlon="105.29" maxlat="27.31" maxlon="105.36"/>`,
    ...nodes.map((n) =>
      n.tags
        ? `  <node id="${n.id}" version="1" lat="${n.lat}" lon="${n.lon}">${tagsXml(n.tags)}\n  </node>`
        : `  <node id="${n.id}" version="1" lat="${n.lat}" lon="${n.lon}"/>`,
    ),
    ...ways.map(
      (w) =>
        `  <way id="${w.id}" version="1">${w.refs.map((r) => `\n    <nd ref="${r}"/>`).join('')}${tagsXml(w.tags)}\n  </way>`,
    ),
    `  <relation id="900" version="1">`,
    `    <member type="way" ref="100" role=""/>`,
    `    <tag k="type" v="route"/>`,
    `    <tag k="route" v="road"/>`,
    `  </relation>`,
    `</osm>`,
    '',
  ];
  return lines.join('\n');
}

/** What `osmium export --add-unique-id=type_id` writes: ways as LineStrings, tagged nodes as Points. */
export function fixtureGeoJson(nodes = FIXTURE_NODES, ways = FIXTURE_WAYS): { type: string; features: object[] } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    type: 'FeatureCollection',
    features: [
      ...nodes
        .filter((n) => n.tags)
        .map((n) => ({
          type: 'Feature',
          id: `n${n.id}`,
          geometry: { type: 'Point', coordinates: [n.lon, n.lat] },
          properties: n.tags,
        })),
      ...ways.map((w) => {
        const coordinates = w.refs.map((r) => [byId.get(r)!.lon, byId.get(r)!.lat]);
        // osmium exports closed ways with area tags as polygons with area id 2 × way id.
        return w.tags.highway === 'services'
          ? {
              type: 'Feature',
              id: `a${2 * w.id}`,
              geometry: { type: 'Polygon', coordinates: [coordinates] },
              properties: w.tags,
            }
          : { type: 'Feature', id: `w${w.id}`, geometry: { type: 'LineString', coordinates }, properties: w.tags };
      }),
    ],
  };
}

export function writeFixtures(dir: string): { xml: string; geojson: string; geojsonseq: string; pbf: string } {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    xml: `${dir}/fixture.osm`,
    geojson: `${dir}/fixture.geojson`,
    geojsonseq: `${dir}/fixture.geojsonseq`,
    pbf: `${dir}/fixture.osm.pbf`,
  };
  fs.writeFileSync(files.xml, fixtureXml());
  const { features } = fixtureGeoJson();
  fs.writeFileSync(files.geojson, JSON.stringify({ type: 'FeatureCollection', features }));
  // GeoJSON text sequence (`osmium export -f geojsonseq`): RS, one feature, newline.
  fs.writeFileSync(files.geojsonseq, features.map((f) => `\u001e${JSON.stringify(f)}\n`).join(''));
  fs.writeFileSync(files.pbf, writeOsmPbf(FIXTURE_NODES, FIXTURE_WAYS));
  return files;
}
