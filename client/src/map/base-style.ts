import type { StyleSpecification } from 'maplibre-gl';
import type { RegionPack } from './region.ts';
import { MAP_COLORS } from './theme.ts';

/**
 * The offline basemap drawn from the region pack's GeoJSON: dimmed neighbours, counties, the city outline
 * and the road network. No tiles, sprites or glyphs are fetched; labels are drawn by the page.
 */
export function buildBaseStyle(region: RegionPack): StyleSpecification {
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
    style.layers.push(
      {
        id: 'region-sites-cameras',
        type: 'circle',
        source: 'region-sites',
        filter: ['==', ['get', 'kind'], 'camera'] as never,
        minzoom: 8.5,
        paint: { 'circle-radius': 2.5, 'circle-color': MAP_COLORS.camera },
      },
      {
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
      },
    );
  }
  return style;
}
