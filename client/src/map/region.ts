import type { FeatureCollection } from 'geojson';

/** The part of a region pack's manifest.json the client reads. */
export interface RegionManifest {
  id: string;
  name_zh: string;
  name_en: string;
  bbox: [number, number, number, number];
  center: [number, number];
  files: Record<
    string,
    { file: string; attribution: string; licence: string; schematic?: boolean; label_zh?: string; label_en?: string }
  >;
}

export interface RegionPack {
  manifest: RegionManifest;
  boundaries: FeatureCollection;
  context: FeatureCollection;
  roads: FeatureCollection | null;
  /** Corridor centrelines with refs, for labels. */
  corridors: FeatureCollection | null;
  /** Seats, interchanges, service areas. */
  pois: FeatureCollection | null;
  /** Weather stations, cameras, patrol bases. */
  sites: FeatureCollection | null;
}

let loading: Promise<RegionPack> | null = null;

/** Load the region pack served by the Beacon server at /region (once per page). */
export function loadRegionPack(base = '/region'): Promise<RegionPack> {
  loading ??= (async () => {
    const get = async <T>(file: string): Promise<T> => {
      const res = await fetch(`${base}/${file}`);
      if (!res.ok) throw new Error(`region file ${file}: HTTP ${res.status}`);
      return (await res.json()) as T;
    };
    const manifest = await get<RegionManifest>('manifest.json');
    const optional = (name: string) =>
      manifest.files[name] ? get<FeatureCollection>(manifest.files[name].file) : Promise.resolve(null);
    const [boundaries, context, roads, corridors, pois, sites] = await Promise.all([
      get<FeatureCollection>(manifest.files.boundaries!.file),
      manifest.files.context ? get<FeatureCollection>(manifest.files.context.file) : emptyCollection(),
      optional('roads'),
      optional('corridors'),
      optional('pois'),
      optional('sites'),
    ]);
    return { manifest, boundaries, context, roads, corridors, pois, sites };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

function emptyCollection(): Promise<FeatureCollection> {
  return Promise.resolve({ type: 'FeatureCollection', features: [] });
}

/** Attribution lines for every file the map draws, de-duplicated. */
export function attributionsOf(manifest: RegionManifest): string[] {
  return [...new Set(Object.values(manifest.files).map((f) => f.attribution))];
}

/** The label that must accompany schematic layers, or null when the pack has only real geometry. */
export function schematicLabel(manifest: RegionManifest, locale: 'zh' | 'en'): string | null {
  const schematic = Object.values(manifest.files).find((f) => f.schematic);
  if (!schematic) return null;
  return (locale === 'zh' ? schematic.label_zh : schematic.label_en) ?? schematic.label_zh ?? 'schematic';
}

/** Names of the pack's administrative areas by adcode (county and city), in both languages. */
export function areaNames(pack: RegionPack): Map<string, { zh: string; en: string }> {
  const names = new Map<string, { zh: string; en: string }>();
  for (const feature of pack.boundaries.features) {
    const p = feature.properties ?? {};
    if (typeof p.adcode === 'string' && typeof p.name_zh === 'string') {
      names.set(p.adcode, { zh: p.name_zh, en: typeof p.name_en === 'string' ? p.name_en : p.name_zh });
    }
  }
  return names;
}
