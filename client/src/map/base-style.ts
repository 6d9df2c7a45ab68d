import type { StyleSpecification } from 'maplibre-gl';
import type { RegionPack } from './region.ts';
import { MAP_COLORS } from './theme.ts';

/** How opaque the region's fills are over an underlay: enough to keep counties apart, not to hide it. */
const UNDERLAY_FILL_OPACITY = 0.35;

/**
 * An optional basemap underneath the region pack: an intranet raster tile template (`{z}/{x}/{y}`) or a
 * MapLibre style's sources and layers. Off unless a wall asks for it (`?tiles=`) or the build sets
 * `VITE_BEACON_TILES`.
 */
export type Underlay = { kind: 'raster'; tiles: string } | { kind: 'style'; style: StyleSpecification };

/** The build's underlay (`VITE_BEACON_TILES` when `vite build` ran), usually none. */
export const BUILD_UNDERLAY: string | null = import.meta.env.VITE_BEACON_TILES || null;

/** The underlay a URL names: a tile template when it has `{z}`, else a style document, fetched here. */
export async function loadUnderlay(url: string | null | undefined): Promise<Underlay | null> {
  if (!url) return null;
  if (url.includes('{z}')) return { kind: 'raster', tiles: url };
  const res = await fetch(url);
  if (!res.ok) throw new Error(`underlay style ${url}: HTTP ${res.status}`);
  return { kind: 'style', style: (await res.json()) as StyleSpecification };
}

/** The underlay's sources and layers under ids of their own (`underlay-…`), to go right above our background. */
function underlayParts(underlay: Underlay): Pick<StyleSpecification, 'sources' | 'layers' | 'sprite' | 'glyphs'> {
  if (underlay.kind === 'raster') {
    return {
      sources: { underlay: { type: 'raster', tiles: [underlay.tiles], tileSize: 256 } },
      // Dimmed and desaturated: the live layers stay the brightest thing on the wall.
      layers: [
        {
          id: 'underlay-raster',
          type: 'raster',
          source: 'underlay',
          paint: { 'raster-opacity': 0.6, 'raster-saturation': -0.7, 'raster-brightness-max': 0.55 },
        },
      ],
    };
  }
  const { style } = underlay;
  const sources = Object.fromEntries(Object.entries(style.sources ?? {}).map(([id, s]) => [`underlay-${id}`, s]));
  const layers = (style.layers ?? []).map(
    (layer) =>
      ({
        ...layer,
        id: `underlay-${layer.id}`,
        ...('source' in layer && typeof layer.source === 'string' ? { source: `underlay-${layer.source}` } : {}),
      }) as StyleSpecification['layers'][number],
  );
  return {
    sources,
    layers,
    ...(style.sprite ? { sprite: style.sprite } : {}),
    ...(style.glyphs ? { glyphs: style.glyphs } : {}),
  };
}

/**
 * The offline basemap drawn from the region pack's GeoJSON: dimmed neighbours, counties, the city outline
 * and the road network. No tiles, sprites or glyphs are fetched; labels are drawn by the page. With an
 * `underlay` its layers go between the background and the region, whose fills then let it show through.
 */
export function buildBaseStyle(region: RegionPack, underlay: Underlay | null = null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {
      'region-context': { type: 'geojson', data: region.context },
      'region-boundaries': { type: 'geojson', data: region.boundaries },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_COLORS.background } },
      {
        id: 'region-context-fill',
        type: 'fill',
        source: 'region-context',
        paint: { 'fill-color': MAP_COLORS.contextFill, 'fill-opacity': 0.9 },
      },
      {
        id: 'region-context-line',
        type: 'line',
        source: 'region-context',
        paint: { 'line-color': MAP_COLORS.contextLine, 'line-width': 1 },
      },
      {
        id: 'region-county-fill',
        type: 'fill',
        source: 'region-boundaries',
        filter: ['==', ['get', 'level'], 'county'],
        paint: { 'fill-color': MAP_COLORS.countyFill, 'fill-opacity': 0.95 },
      },
      {
        id: 'region-county-line',
        type: 'line',
        source: 'region-boundaries',
        filter: ['==', ['get', 'level'], 'county'],
        paint: { 'line-color': MAP_COLORS.countyLine, 'line-width': 1.2, 'line-dasharray': [3, 2] },
      },
      {
        id: 'region-city-glow',
        type: 'line',
        source: 'region-boundaries',
        filter: ['==', ['get', 'level'], 'city'],
        paint: { 'line-color': MAP_COLORS.cityLine, 'line-width': 8, 'line-opacity': 0.18, 'line-blur': 4 },
      },
      {
        id: 'region-city-line',
        type: 'line',
        source: 'region-boundaries',
        filter: ['==', ['get', 'level'], 'city'],
        paint: { 'line-color': MAP_COLORS.cityLine, 'line-width': 2 },
      },
    ],
  };
  if (region.roads) {
    style.sources['region-roads'] = { type: 'geojson', data: region.roads };
    const motorway = ['==', ['get', 'class'], 'motorway'];
    style.layers.push(
      {
        id: 'region-roads-minor',
        type: 'line',
        source: 'region-roads',
        filter: ['!', motorway] as never,
        minzoom: 8,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': MAP_COLORS.roadMinor, 'line-width': 1.2 },
      },
      {
        id: 'region-roads-casing',
        type: 'line',
        source: 'region-roads',
        filter: motorway as never,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': MAP_COLORS.roadCasing,
          'line-width': ['interpolate', ['linear'], ['zoom'], 7, 5, 12, 9],
        },
      },
      {
        id: 'region-roads-line',
        type: 'line',
        source: 'region-roads',
        filter: motorway as never,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': MAP_COLORS.road,
          'line-width': ['interpolate', ['linear'], ['zoom'], 7, 2.5, 12, 4],
          'line-opacity': 0.9,
        },
      },
    );
  }
  if (region.pois) {
    style.sources['region-pois'] = { type: 'geojson', data: region.pois };
    style.layers.push({
      id: 'region-pois-places',
      type: 'circle',
      source: 'region-pois',
      filter: ['in', ['get', 'kind'], ['literal', ['interchange', 'service_area']]] as never,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 7, 2.5, 12, 6],
        'circle-color': ['match', ['get', 'kind'], 'service_area', MAP_COLORS.serviceArea, MAP_COLORS.interchange],
        'circle-stroke-color': MAP_COLORS.background,
        'circle-stroke-width': 1,
      },
    });
  }
  if (region.sites) {
    style.sources['region-sites'] = { type: 'geojson', data: region.sites };
    style.layers.push({
      id: 'region-sites-stations',
      type: 'circle',
      source: 'region-sites',
      filter: ['==', ['get', 'kind'], 'weather_station'] as never,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 7, 3.5, 12, 7],
        'circle-color': MAP_COLORS.station,
        'circle-stroke-color': MAP_COLORS.background,
        'circle-stroke-width': 1.5,
      },
    });
  }
  if (underlay) {
    const parts = underlayParts(underlay);
    Object.assign(style.sources, parts.sources);
    style.layers.splice(1, 0, ...parts.layers);
    if (parts.sprite) style.sprite = parts.sprite;
    if (parts.glyphs) style.glyphs = parts.glyphs;
    for (const layer of style.layers) {
      if (layer.type === 'fill' && layer.id.startsWith('region-')) {
        layer.paint = { ...layer.paint, 'fill-opacity': UNDERLAY_FILL_OPACITY };
      }
    }
  }
  return style;
}
