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
      if (!loaded || uninstall || !context.map.value || !context.region.value) return;
      uninstall = install(context.map.value, context.region.value);
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
