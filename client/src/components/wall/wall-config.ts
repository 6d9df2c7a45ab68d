/**
 * How a wall is set up, read from its address so each display link carries its own settings:
 * `?layout=wide` for tiled video walls wider than 16:9, `?tour=1` to cycle views, `?hold=<s>` for how long a
 * new P1 holds the wall, `?closureTarget=<percent>` for the closure-rate target on the KPI tile,
 * `?tiles=<url>` for an intranet raster tile template or style URL under the region (default: none, or the
 * build's `VITE_BEACON_TILES`), `?cameras=0` to hide the camera layer.
 */
export interface WallConfig {
  layout: 'standard' | 'wide';
  tour: boolean;
  /** Seconds between tour stops. */
  tourIntervalS: number;
  /** How long a new P1 holds the wall before it returns to the overview (or the next P1). */
  holdS: number;
  /** Closure-rate target today, 0–1. */
  closureTarget: number;
  /** An intranet basemap under the region: a `{z}/{x}/{y}` tile template or a style URL; null for none. */
  tiles: string | null;
  /** Whether the roadside cameras are drawn. */
  cameras: boolean;
}

export const DEFAULT_WALL_CONFIG: WallConfig = {
  layout: 'standard',
  tour: false,
  tourIntervalS: 20,
  holdS: 30,
  closureTarget: 0.95,
  tiles: null,
  cameras: true,
};

/** An http(s) URL, absolute or relative to the page; anything else (javascript:, data:) is refused. */
function httpUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    // `{z}` and friends survive URL parsing as %7Bz%7D: keep the text as given once it is known to be http(s).
    const parsed = new URL(value, 'http://wall.invalid/');
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}

function number(value: string | null, min: number, max: number): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

/**
 * The wall's settings from a query string; anything missing or out of range keeps its default.
 * `buildTiles` is the build-time underlay (`VITE_BEACON_TILES`), which `?tiles=` overrides.
 */
export function parseWallConfig(search: string, buildTiles: string | null = null): WallConfig {
  const q = new URLSearchParams(search);
  const target = number(q.get('closureTarget'), 1, 100);
  return {
    layout: q.get('layout') === 'wide' ? 'wide' : 'standard',
    tour: q.get('tour') === '1' || q.get('tour') === 'true',
    tourIntervalS: number(q.get('tourInterval'), 5, 600) ?? DEFAULT_WALL_CONFIG.tourIntervalS,
    holdS: number(q.get('hold'), 3, 600) ?? DEFAULT_WALL_CONFIG.holdS,
    closureTarget: target === null ? DEFAULT_WALL_CONFIG.closureTarget : target / 100,
    tiles: httpUrl(q.get('tiles')) ?? httpUrl(buildTiles),
    cameras: q.get('cameras') !== '0' && q.get('cameras') !== 'false',
  };
}
