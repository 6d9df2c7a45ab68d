import { inject, onBeforeUnmount, watch, type InjectionKey, type Ref, type ShallowRef } from 'vue';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { GeoJSON } from 'geojson';
import type { RegionPack } from './region.ts';

/** What SituationMap provides to its layer components. The map itself is never made reactive. */
export interface MapContext {
  map: ShallowRef<MapLibreMap | null>;
  loaded: Ref<boolean>;
  region: ShallowRef<RegionPack | null>;
}

export const MAP_CONTEXT: InjectionKey<MapContext> = Symbol('beacon-map');

export function useMapContext(): MapContext {
  const context = inject(MAP_CONTEXT);
  if (!context) throw new Error('map layers must be placed inside <SituationMap>');
  return context;
}

/**
 * Run `install` once the map has loaded; it adds its own sources and layers and returns the function
 * that removes them. Removal runs on unmount, so each layer component owns exactly what it added.
 */
export function useMapLayer(install: (map: MapLibreMap, region: RegionPack) => () => void): MapContext {
  const context = useMapContext();
  let uninstall: (() => void) | null = null;
  const stop = watch(
    () => context.loaded.value,
    (loaded) => {
      const map = context.map.value;
      if (!loaded || uninstall || !map || !context.region.value) return;
      const before = new Set(map.getStyle().layers.map((l) => l.id));
      uninstall = install(map, context.region.value);
      // Whatever the layer added is drawn at the wall's scale (and rescaled by SituationMap on resize).
      scaleLayers(
        map,
        map
          .getStyle()
          .layers.map((l) => l.id)
          .filter((id) => !before.has(id)),
      );
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    const map = context.map.value;
    if (uninstall && map && map.getStyle()) {
      try {
        uninstall();
      } catch {
        // The map is being torn down together with its layers.
      }
    }
    uninstall = null;
  });
  return context;
}

/** Remove layers then sources by id, ignoring those already gone. */
export function removeAll(map: MapLibreMap, layerIds: string[], sourceIds: string[]): void {
  for (const id of layerIds) if (map.getLayer(id)) map.removeLayer(id);
  for (const id of sourceIds) if (map.getSource(id)) map.removeSource(id);
}

/** Replace the data of a layer's GeoJSON source, if it is still on the map. */
export function setSourceData(map: MapLibreMap, sourceId: string, data: GeoJSON): void {
  void (map.getSource(sourceId) as GeoJSONSource | undefined)?.setData(data);
}

/** Paint and layout properties that are lengths in CSS pixels: they grow with the wall's scale. */
const SIZE_PAINT = ['line-width', 'line-gap-width', 'circle-radius', 'circle-stroke-width'] as const;
const SIZE_LAYOUT = ['icon-size', 'text-size'] as const;
const DEFAULT_SIZE: Record<string, number> = { 'icon-size': 1 };
const unscaled = new WeakMap<MapLibreMap, Map<string, unknown>>();

/**
 * How much larger than the 1920×1080 design the wall is drawn: its rem over 16 px (2 on a 4K screen), so
 * roads, units and icons keep their size relative to the panels around the map.
 */
export function mapScale(): number {
  return (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16) / 16;
}

/** A length value scaled by `k`: numbers, the outputs of a zoom `interpolate`, or any data expression. */
export function scaleValue(value: unknown, k: number): unknown {
  if (typeof value === 'number') return value * k;
  if (!Array.isArray(value)) return value;
  if (value[0] === 'interpolate') {
    return value.map((v, i) => (i >= 4 && i % 2 === 0 ? scaleValue(v, k) : v));
  }
  return ['*', k, value];
}

/**
 * Scale the pixel sizes of these layers to the wall's scale, from the values they were added with (kept on
 * first use, so calling it again after a resize does not compound).
 */
export function scaleLayers(map: MapLibreMap, layerIds: readonly string[], k = mapScale()): void {
  let originals = unscaled.get(map);
  if (!originals) unscaled.set(map, (originals = new Map()));
  for (const id of layerIds) {
    const layer = map.getLayer(id);
    if (!layer) continue;
    for (const prop of SIZE_PAINT) {
      if (!prop.startsWith(layer.type)) continue;
      const key = `${id}|${prop}`;
      if (!originals.has(key)) originals.set(key, map.getPaintProperty(id, prop) ?? null);
      const original = originals.get(key);
      if (original !== null && original !== undefined)
        map.setPaintProperty(id, prop, scaleValue(original, k) as number);
    }
    if (layer.type !== 'symbol') continue;
    for (const prop of SIZE_LAYOUT) {
      const key = `${id}|${prop}`;
      if (!originals.has(key)) originals.set(key, map.getLayoutProperty(id, prop) ?? DEFAULT_SIZE[prop] ?? null);
      const original = originals.get(key);
      if (original !== null && original !== undefined)
        map.setLayoutProperty(id, prop, scaleValue(original, k) as number);
    }
  }
}
