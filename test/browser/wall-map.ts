/**
 * The part of the wall's MapLibre map the browser tests read, through the `.map-canvas` element that
 * SituationMap exposes it on (`beaconMap`). Typed here because the test package does not depend on
 * maplibre-gl; inside `page.evaluate` only the types are used.
 */
export interface WallMap {
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  isMoving(): boolean;
  getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
  querySourceFeatures(
    source: string,
  ): { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[];
  getPaintProperty(layer: string, property: string): unknown;
  getLayoutProperty(layer: string, property: string): unknown;
  hasImage(id: string): boolean;
  getLayer(id: string): { minzoom?: number } | undefined;
}

export type WallMapElement = Element & { beaconMap: WallMap };
