// The bare baseline page of bench/wall.ts (a plain browser module, see index.html).
/* global window, fetch */
import { Map as MapLibreMap, setWorkerUrl } from '/maplibre-gl/maplibre-gl.mjs';

setWorkerUrl('/maplibre-gl/maplibre-gl-worker.mjs');
(async () => {
  const get = async (file) => (await fetch(`/region/${file}`)).json();
  const manifest = await get('manifest.json');
  const [boundaries, context, roads] = await Promise.all(
    ['boundaries', 'context', 'roads'].map((name) => get(manifest.files[name].file)),
  );
  const empty = { type: 'FeatureCollection', features: [] };
  const [minLon, minLat, maxLon, maxLat] = manifest.bbox;
  const map = new MapLibreMap({
    container: 'map',
    bounds: [
      [minLon, minLat],
      [maxLon, maxLat],
    ],
    fitBoundsOptions: { padding: 24 },
    attributionControl: false,
    fadeDuration: 0,
    style: {
      version: 8,
      sources: {
        context: { type: 'geojson', data: context },
        boundaries: { type: 'geojson', data: boundaries },
        roads: { type: 'geojson', data: roads },
        units: { type: 'geojson', data: empty },
        incidents: { type: 'geojson', data: empty },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#050d1a' } },
        { id: 'context', type: 'fill', source: 'context', paint: { 'fill-color': '#0b1626' } },
        { id: 'counties', type: 'fill', source: 'boundaries', paint: { 'fill-color': '#0f2036' } },
        { id: 'county-lines', type: 'line', source: 'boundaries', paint: { 'line-color': '#1e5a8f' } },
        { id: 'roads', type: 'line', source: 'roads', paint: { 'line-color': '#2f6fa8', 'line-width': 2 } },
        {
          id: 'incidents',
          type: 'circle',
          source: 'incidents',
          paint: {
            'circle-radius': 10,
            'circle-color': ['match', ['get', 'priority'], 'P2', '#f97316', 'P3', '#eab308', '#3b82f6'],
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': 2,
          },
        },
        {
          id: 'units',
          type: 'circle',
          source: 'units',
          paint: {
            'circle-radius': 6,
            'circle-color': '#22c55e',
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': 1.5,
          },
        },
      ],
    },
  });
  const points = (rows, props) => ({
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [row[0], row[1]] },
      properties: props(row),
    })),
  });
  /** [lon, lat, heading, id][] from the bench, once a second. */
  window.setUnits = (rows) => map.getSource('units')?.setData(points(rows, (r) => ({ heading: r[2], id: r[3] })));
  /** [lon, lat, priority, type][] from the bench. */
  window.setIncidents = (rows) =>
    map.getSource('incidents')?.setData(points(rows, (r) => ({ priority: r[2], type: r[3] })));
  window.bareMap = map;
  map.once('load', () => (window.bareReady = true));
})();
