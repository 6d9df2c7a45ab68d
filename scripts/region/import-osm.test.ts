import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PointCollection,
  RegionManifest,
  RoadCollection,
  gcj02ToWgs84,
  type LonLat,
  type RoadFeature,
} from '../../shared/src/index.ts';
import { loadRoadGraph, type RoadGraph } from '../../server/src/roads/road-graph.ts';
import {
  ImportUsageError,
  importOsm,
  onewayOf,
  parseImportArgs,
  parseMaxspeed,
  type ImportResult,
} from './import-osm.ts';
import { OsmInputError } from './osm-model.ts';
import { readOsmPbf } from './osm-pbf.ts';
import {
  FIXTURE_BBOX,
  FIXTURE_NODES,
  FIXTURE_WAYS,
  at,
  fixtureGeoJson,
  fixtureXml,
  writeFixtures,
} from './osm-test-fixture.ts';

let dir: string;
let inputs: { xml: string; geojson: string; geojsonseq: string; pbf: string };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-osm-'));
  inputs = writeFixtures(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

async function runImport(input: string, out: string, ...extra: string[]): Promise<ImportResult> {
  return importOsm(parseImportArgs([input, '--bbox', FIXTURE_BBOX, '--out', out, '--name-zh', '测试', ...extra], dir));
}

/** Is `to` reachable from `from` following the graph's directed edges? */
function reachable(graph: RoadGraph, from: LonLat, to: LonLat): boolean {
  const index = (p: LonLat) => graph.nodes.findIndex((n) => n[0] === p[0] && n[1] === p[1]);
  const start = index(from);
  const goal = index(to);
  expect(start, `node ${from.join()}`).toBeGreaterThanOrEqual(0);
  expect(goal, `node ${to.join()}`).toBeGreaterThanOrEqual(0);
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === goal) return true;
    for (const e of graph.outgoing[node]!) {
      const next = graph.edges[e]!.to;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

describe.each(['xml', 'geojson', 'geojsonseq', 'pbf'] as const)('region:import from %s', (format) => {
  let out: string;
  let result: ImportResult;
  let roads: Map<string, RoadFeature>;

  beforeAll(async () => {
    out = path.join(dir, `pack-${format}`);
    result = await runImport(inputs[format], out);
    const collection = RoadCollection.parse(readJson(path.join(out, 'roads.geojson')));
    roads = new Map(collection.features.map((f) => [f.properties.id, f]));
  });

  it('writes a pack that validates against the shared schemas', () => {
    const manifest = RegionManifest.parse(readJson(path.join(out, 'manifest.json')));
    expect(manifest).toMatchObject({ id: `pack-${format}`, name_zh: '测试', bbox: [105.29, 27.28, 105.36, 27.31] });
    expect(manifest.center).toEqual([105.325, 27.295]);
    for (const key of ['roads', 'pois', 'corridors'] as const) {
      expect(manifest.files[key]).toMatchObject({
        attribution: '© OpenStreetMap contributors, ODbL 1.0',
        licence: 'ODbL-1.0',
        schematic: false,
      });
    }
    PointCollection.parse(readJson(path.join(out, 'pois.geojson')));
    expect(result.files.sort()).toEqual(
      ['boundaries.geojson', 'corridors.geojson', 'manifest.json', 'pois.geojson', 'roads.geojson'].sort(),
    );
  });

  it('keeps motorway, link and trunk ways touching the bbox, split at shared nodes', () => {
    expect([...roads.keys()].sort()).toEqual(
      [
        'osm-w100-1',
        'osm-w100-2',
        'osm-w200-1',
        'osm-w200-2',
        'osm-w300-1',
        'osm-w300-2',
        'osm-w301',
        'osm-w400',
        'osm-w700',
        'osm-w701',
      ].sort(),
    );
    // Way 400 reaches out of the bbox (n42 at 105.37): kept whole, not clipped. Way 500 is outside.
    expect(roads.get('osm-w400')!.geometry.coordinates).toEqual([at(5), at(41), at(42)]);
    expect(result.osmWays).toEqual({ kept: 7, outsideBbox: 1, incomplete: 0 });
    // Ways meet on exactly the same vertex where they share an OSM node.
    expect(roads.get('osm-w100-1')!.geometry.coordinates.at(-1)).toEqual(at(3));
    expect(roads.get('osm-w100-2')!.geometry.coordinates[0]).toEqual(at(3));
    expect(roads.get('osm-w300-1')!.geometry.coordinates[0]).toEqual(at(3));
    expect(roads.get('osm-w300-2')!.geometry.coordinates[0]).toEqual(at(21));
    expect(roads.get('osm-w301')!.geometry.coordinates.at(-1)).toEqual(at(21));
  });

  it('maps tags: ref, names, class, oneway (implied and reversed), speed, via', () => {
    const p = (id: string) => roads.get(id)!.properties;
    expect(p('osm-w100-1')).toEqual({
      id: 'osm-w100-1',
      ref: 'G56',
      name_zh: '杭瑞高速',
      name_en: 'Hangzhou–Ruili Expressway',
      class: 'motorway',
      oneway: true,
      direction: null,
      speedKmh: 100,
      stakeStartM: null,
      stakeEndM: null,
      via_zh: null,
      schematic: false,
    });
    expect(p('osm-w200-1')).toMatchObject({ name_zh: '杭瑞高速', oneway: true, speedKmh: 80 });
    // oneway=-1: the geometry is reversed so the way runs west, in the direction of travel.
    expect(roads.get('osm-w200-1')!.geometry.coordinates).toEqual([at(13), at(12), at(11)]);
    expect(roads.get('osm-w200-2')!.geometry.coordinates).toEqual([at(15), at(14), at(13)]);
    expect(p('osm-w300-1')).toMatchObject({ class: 'motorway_link', oneway: true, speedKmh: 40, via_zh: '毕节东' });
    expect(p('osm-w301')).toMatchObject({ class: 'motorway_link', oneway: false });
    expect(p('osm-w400')).toMatchObject({ speedKmh: 100, ref: 'G56' });
    expect(p('osm-w700')).toMatchObject({ class: 'trunk', oneway: false, speedKmh: 96.6, ref: 'S20' });
    expect(p('osm-w701')).toMatchObject({ class: 'motorway_link', oneway: true, speedKmh: 40, via_zh: '出口 15' });
  });

  it('builds a connected directed graph with the server loader', () => {
    const graph = loadRoadGraph(out);
    expect(result.graph).toMatchObject({ nodes: graph.nodes.length, edges: graph.edges.length, components: 1 });
    // Eastbound carriageway → off-ramp at 毕节东 → toll booth → trunk → trunk link.
    expect(reachable(graph, at(1), at(22))).toBe(true);
    expect(reachable(graph, at(1), at(52))).toBe(true);
    // One-way: no way back up the off-ramp, and the westbound carriageway only runs west.
    expect(reachable(graph, at(22), at(1))).toBe(false);
    expect(reachable(graph, at(15), at(11))).toBe(true);
    expect(reachable(graph, at(11), at(15))).toBe(false);
    // The two-way link 301 lets eastbound traffic turn onto the westbound carriageway.
    expect(reachable(graph, at(1), at(11))).toBe(true);
  });

  it('writes interchanges, service areas, toll stations and tunnels inside the bbox', () => {
    const pois = PointCollection.parse(readJson(path.join(out, 'pois.geojson'))).features.map((f) => ({
      kind: f.properties.kind,
      id: f.properties.id,
      name_zh: f.properties.name_zh,
      at: f.geometry.coordinates,
    }));
    expect(pois).toEqual(
      expect.arrayContaining([
        { kind: 'interchange', id: 'osm-n3', name_zh: '毕节东', at: at(3) },
        { kind: 'interchange', id: 'osm-n14', name_zh: '出口 15', at: at(14) },
        { kind: 'service_area', id: 'osm-n30', name_zh: '毕节服务区', at: at(30) },
        // Drawn as an area: its centroid.
        { kind: 'service_area', id: 'osm-w800', name_zh: '大方服务区', at: [105.345, 27.2985] },
        { kind: 'toll_station', id: 'osm-n22', name_zh: '毕节东收费站', at: at(22) },
        { kind: 'tunnel', id: 'osm-w400-tunnel', name_zh: '白岩隧道', at: [105.355, 27.3] },
      ]),
    );
    // Not: the junction on way 500 (outside the bbox), the town fuel station 1 km from the motorway.
    expect(pois).toHaveLength(6);
  });

  it('writes a corridor per ref and a bbox outline when no boundaries are given', () => {
    const corridors = readJson(path.join(out, 'corridors.geojson')) as {
      features: { properties: { ref: string; lengthM: number }; geometry: { coordinates: LonLat[] } }[];
    };
    expect(corridors.features.map((f) => f.properties.ref)).toEqual(['G56', 'S20']);
    const g56 = corridors.features[0]!;
    expect(g56.geometry.coordinates[0]).toEqual(at(1));
    expect(g56.geometry.coordinates.at(-1)).toEqual(at(42));
    expect(g56.properties.lengthM).toBeGreaterThan(6800);
    const boundaries = readJson(path.join(out, 'boundaries.geojson')) as {
      features: { properties: { level: string; name_zh: string }; geometry: { coordinates: number[][][] } }[];
    };
    expect(boundaries.features).toHaveLength(1);
    expect(boundaries.features[0]!.properties).toMatchObject({ level: 'city', name_zh: '测试' });
    expect(boundaries.features[0]!.geometry.coordinates[0]).toContainEqual([105.29, 27.28]);
  });
});

describe('region:import options', () => {
  it('gives the same roads from every input format', () => {
    const features = (format: string) => readJson(path.join(dir, `pack-${format}`, 'roads.geojson')) as object;
    const strip = (fc: object) => ({ ...fc, metadata: undefined });
    expect(strip(features('geojson'))).toEqual(strip(features('xml')));
    expect(strip(features('geojsonseq'))).toEqual(strip(features('xml')));
    expect(strip(features('pbf'))).toEqual(strip(features('xml')));
  });

  it('converts GCJ-02 input to WGS-84 with --crs gcj02, keeping shared vertices identical', async () => {
    const out = path.join(dir, 'pack-gcj');
    await runImport(inputs.geojson, out, '--crs', 'gcj02');
    const roads = RoadCollection.parse(readJson(path.join(out, 'roads.geojson')));
    const byId = new Map(roads.features.map((f) => [f.properties.id, f.geometry.coordinates]));
    const expected = gcj02ToWgs84(at(1)).map((n) => Math.round(n * 1e7) / 1e7);
    expect(byId.get('osm-w100-1')![0]).toEqual(expected);
    expect(byId.get('osm-w100-1')![0]).not.toEqual(at(1));
    expect(byId.get('osm-w100-1')!.at(-1)).toEqual(byId.get('osm-w300-1')![0]);
  });

  it('leaves trunk roads out with --motorway-only and copies --boundaries', async () => {
    const boundaries = path.join(dir, 'city.geojson');
    const city = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { level: 'city', name_zh: '毕节市' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [105.2, 27.2],
                [105.4, 27.2],
                [105.4, 27.4],
                [105.2, 27.2],
              ],
            ],
          },
        },
      ],
    };
    fs.writeFileSync(boundaries, JSON.stringify(city));
    const out = path.join(dir, 'pack-motorway');
    const result = await runImport(inputs.xml, out, '--motorway-only', '--boundaries', boundaries, '--id', 'bj');
    expect(result.roads.trunk).toBeUndefined();
    expect(result.features).toBe(8);
    expect(readJson(path.join(out, 'boundaries.geojson'))).toEqual(city);
    const manifest = RegionManifest.parse(readJson(path.join(out, 'manifest.json')));
    expect(manifest.id).toBe('bj');
    expect(manifest.files.boundaries).toMatchObject({
      file: 'boundaries.geojson',
      attribution: 'Boundaries: city.geojson',
    });
  });

  it('refuses to overwrite a pack without --force', async () => {
    const out = path.join(dir, 'pack-xml');
    expect(() => parseImportArgs([inputs.xml, '--bbox', FIXTURE_BBOX, '--out', out], dir)).toThrow(/--force/);
    await expect(runImport(inputs.xml, out, '--force')).resolves.toMatchObject({ features: 10 });
  });

  it('rejects bad arguments with the option named', () => {
    const parse =
      (...args: string[]) =>
      () =>
        parseImportArgs(args, dir);
    const out = ['--out', path.join(dir, 'x')];
    expect(parse(inputs.xml, '--bbox', '105.36,27.28,105.29,27.31', ...out)).toThrow(
      /--bbox: minLon 105.36 must be less than maxLon 105.29/,
    );
    expect(parse(inputs.xml, '--bbox', '105,27', ...out)).toThrow(/--bbox: expected minLon,minLat,maxLon,maxLat/);
    expect(parse(inputs.xml, '--bbox', '105,95,106,96', ...out)).toThrow(/minLat 95 is not a latitude/);
    expect(parse(inputs.xml, ...out)).toThrow(/--bbox: is required/);
    expect(parse(inputs.xml, '--bbox', FIXTURE_BBOX)).toThrow(/--out: is required/);
    expect(parse('x.shp', '--bbox', FIXTURE_BBOX, ...out)).toThrow(/unknown format/);
    expect(parse('missing.osm.pbf', '--bbox', FIXTURE_BBOX, ...out)).toThrow(/missing.osm.pbf: no such file/);
    expect(parse(inputs.xml, '--bbox', FIXTURE_BBOX, ...out, '--crs', 'bd09')).toThrow(/--crs: must be wgs84 or gcj02/);
    expect(parse(inputs.xml, '--bbox', FIXTURE_BBOX, ...out, '--id', 'Bad Id')).toThrow(/--id: must be lower-case/);
    expect(parse(inputs.xml, '--bbox', FIXTURE_BBOX, ...out, '--colour', 'red')).toThrow(ImportUsageError);
  });

  it('fails with a clear message when nothing is inside the bbox', async () => {
    await expect(
      importOsm(parseImportArgs([inputs.xml, '--bbox', '100,20,100.1,20.1', '--out', path.join(dir, 'empty')], dir)),
    ).rejects.toThrow(/no highway=motorway.* way has a node inside the bbox 100,20,100.1,20.1/);
  });
});

describe('input errors name the file and place', () => {
  it('OSM XML: line and attribute', async () => {
    const file = path.join(dir, 'bad.osm');
    const nodes = FIXTURE_NODES.map((n) => (n.id === 4 ? { ...n, lat: 127.3 } : n));
    fs.writeFileSync(file, fixtureXml(nodes, FIXTURE_WAYS));
    const line =
      fixtureXml(nodes)
        .split('\n')
        .findIndex((l) => l.includes('node id="4"')) + 1;
    await expect(
      importOsm(parseImportArgs([file, '--bbox', FIXTURE_BBOX, '--out', path.join(dir, 'bad1')], dir)),
    ).rejects.toThrow(new RegExp(`bad\\.osm:${line}: <node>: lat: Too big`));
    fs.writeFileSync(file, '<osm><node id="1" lat="1" lon="1"></osm>');
    await expect(
      importOsm(parseImportArgs([file, '--bbox', FIXTURE_BBOX, '--out', path.join(dir, 'bad2')], dir)),
    ).rejects.toThrow(OsmInputError);
  });

  it('GeoJSON: feature index and field, and ways without an OSM id', async () => {
    const file = path.join(dir, 'bad.geojson');
    const fc = fixtureGeoJson() as { features: { id?: string; geometry: { coordinates: unknown } }[] };
    fc.features[7]!.geometry.coordinates = ['east', 27.3];
    fs.writeFileSync(file, JSON.stringify(fc));
    const args = [file, '--bbox', FIXTURE_BBOX, '--out', path.join(dir, 'bad3')];
    await expect(importOsm(parseImportArgs(args, dir))).rejects.toThrow(/bad\.geojson: features\.7: geometry/);
    const noIds = fixtureGeoJson() as { features: { id?: string }[] };
    for (const f of noIds.features) delete f.id;
    fs.writeFileSync(file, JSON.stringify(noIds));
    await expect(importOsm(parseImportArgs(args, dir))).rejects.toThrow(/has no OSM way id.*--add-unique-id=type_id/);
  });

  it('PBF: a file that is not one', () => {
    const file = path.join(dir, 'bad.osm.pbf');
    fs.writeFileSync(file, fixtureXml());
    expect(() => readOsmPbf(file, {})).toThrow(
      /bad\.osm\.pbf: blob 0 at byte 0: blob header length \d+ is not plausible/,
    );
    const pbf = fs.readFileSync(inputs.pbf);
    fs.writeFileSync(file, pbf.subarray(0, pbf.length - 10));
    expect(() => readOsmPbf(file, {})).toThrow(/blob 1 at byte \d+: file ends inside the blob/);
  });
});

describe('tag parsing', () => {
  it('reads maxspeed in km/h and mph', () => {
    expect(parseMaxspeed('100')).toBe(100);
    expect(parseMaxspeed('100 km/h')).toBe(100);
    expect(parseMaxspeed('80;60')).toBe(80);
    expect(parseMaxspeed('60 mph')).toBe(96.6);
    expect(parseMaxspeed('none')).toBeNull();
    expect(parseMaxspeed('CN:motorway')).toBeNull();
    expect(parseMaxspeed('0')).toBeNull();
    expect(parseMaxspeed('300')).toBe(200);
    expect(parseMaxspeed(undefined)).toBeNull();
  });

  it('implies oneway on motorways and links only', () => {
    expect(onewayOf({ highway: 'motorway' })).toEqual({ oneway: true, reverse: false });
    expect(onewayOf({ highway: 'motorway_link' })).toEqual({ oneway: true, reverse: false });
    expect(onewayOf({ highway: 'motorway', oneway: 'no' })).toEqual({ oneway: false, reverse: false });
    expect(onewayOf({ highway: 'trunk' })).toEqual({ oneway: false, reverse: false });
    expect(onewayOf({ highway: 'trunk', oneway: 'yes' })).toEqual({ oneway: true, reverse: false });
    expect(onewayOf({ highway: 'trunk', oneway: '-1' })).toEqual({ oneway: true, reverse: true });
    expect(onewayOf({ highway: 'trunk_link', junction: 'roundabout' })).toEqual({ oneway: true, reverse: false });
  });
});
