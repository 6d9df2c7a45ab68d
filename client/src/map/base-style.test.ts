import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { buildBaseStyle } from './base-style.ts';
import type { RegionPack } from './region.ts';

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
const region: RegionPack = {
  manifest: { id: 'test', name_zh: '测试', name_en: 'Test', bbox: [0, 0, 1, 1], center: [0.5, 0.5], files: {} },
  boundaries: empty,
  context: empty,
  roads: empty,
  corridors: null,
  pois: null,
  sites: empty,
};

describe('the base style', () => {
  it('fetches nothing and leaves the cameras to their own layer', () => {
    const style = buildBaseStyle(region);
    expect(Object.values(style.sources).every((s) => s.type === 'geojson')).toBe(true);
    expect(style.layers.map((l) => l.id)).not.toContain('region-sites-cameras');
  });

  it('puts a raster underlay right above the background and lets it show through the fills', () => {
    const style = buildBaseStyle(region, { kind: 'raster', tiles: 'http://tiles.lan/{z}/{x}/{y}.png' });
    expect(style.layers.slice(0, 2).map((l) => l.id)).toEqual(['background', 'underlay-raster']);
    expect(style.sources.underlay).toMatchObject({ type: 'raster', tiles: ['http://tiles.lan/{z}/{x}/{y}.png'] });
    const fill = style.layers.find((l) => l.id === 'region-county-fill');
    expect(fill?.type === 'fill' && fill.paint?.['fill-opacity']).toBeLessThan(0.5);
  });

  it('takes a style underlay’s sources and layers under ids of their own', () => {
    const style = buildBaseStyle(region, {
      kind: 'style',
      style: {
        version: 8,
        sources: { osm: { type: 'vector', url: 'http://tiles.lan/osm.json' } },
        layers: [{ id: 'water', type: 'fill', source: 'osm', 'source-layer': 'water' }],
      },
    });
    expect(style.layers[1]).toMatchObject({ id: 'underlay-water', source: 'underlay-osm' });
    expect(style.sources['underlay-osm']).toMatchObject({ type: 'vector' });
  });
});
