import type { FeatureCollection } from 'geojson';

/** One center of the tree: the pack's city and counties, and the generated townships and villages under them. */
export interface JurisdictionNode {
  adcode: string;
  name_zh: string;
  name_en: string;
  level: string;
  parentAdcode: string | null;
  generated: boolean;
}

/** Where a work order may go from one center: its parent, its siblings and its children. */
export interface JurisdictionsAround {
  self: JurisdictionNode;
  parent: JurisdictionNode | null;
  siblings: JurisdictionNode[];
  children: JurisdictionNode[];
}

/**
 * Townships per county (boundary order, cycled) and villages per township. The same numbers and naming as the
 * server's `generateLowerLevels` (server/src/region/jurisdictions.ts), so the console can name every center
 * (townships and villages too) without asking; where an order may go is asked of the server
 * (`jurisdictions:around`). `jurisdictions.test.ts` pins the figures (55 townships) so a drift shows.
 */
const TOWNSHIPS_PER_COUNTY = [9, 7, 8, 6, 7, 7, 6, 5];
const VILLAGES_PER_TOWNSHIP = [18, 19, 17, 20, 18, 16, 19, 18, 21];

/** The whole tree of a region pack's boundaries, by adcode, in the server's order (pack first, then generated). */
export function buildJurisdictionTree(boundaries: FeatureCollection): Map<string, JurisdictionNode> {
  const tree = new Map<string, JurisdictionNode>();
  for (const feature of boundaries.features) {
    const p = feature.properties ?? {};
    if (p.adcode === undefined || typeof p.name_zh !== 'string') continue;
    tree.set(String(p.adcode), {
      adcode: String(p.adcode),
      name_zh: p.name_zh,
      name_en: typeof p.name_en === 'string' ? p.name_en : '',
      level: typeof p.level === 'string' ? p.level : '',
      parentAdcode: p.parent_adcode === undefined || p.parent_adcode === null ? null : String(p.parent_adcode),
      generated: false,
    });
  }
  const counties = [...tree.values()].filter((j) => j.level === 'county');
  counties.forEach((county, c) => {
    const townships = TOWNSHIPS_PER_COUNTY[c % TOWNSHIPS_PER_COUNTY.length]!;
    for (let t = 1; t <= townships; t += 1) {
      const township = `${county.adcode}${String(100 + t).padStart(3, '0')}`;
      tree.set(township, {
        adcode: township,
        name_zh: `${county.name_zh}第${t}乡镇（生成）`,
        name_en: `${county.name_en} township ${t} (generated)`,
        level: 'township',
        parentAdcode: county.adcode,
        generated: true,
      });
      const villages = VILLAGES_PER_TOWNSHIP[(c * 7 + t) % VILLAGES_PER_TOWNSHIP.length]!;
      for (let v = 1; v <= villages; v += 1) {
        const village = `${township}${String(200 + v).padStart(3, '0')}`;
        tree.set(village, {
          adcode: village,
          name_zh: `${county.name_zh}第${t}乡镇第${v}村（生成）`,
          name_en: `${county.name_en} township ${t} village ${v} (generated)`,
          level: 'village',
          parentAdcode: township,
          generated: true,
        });
      }
    }
  });
  return tree;
}

/** The parent (when the tree knows it), siblings and children of a center; null for an unknown adcode. */
export function jurisdictionsAround(tree: Map<string, JurisdictionNode>, adcode: string): JurisdictionsAround | null {
  const self = tree.get(adcode);
  if (!self) return null;
  const parent = self.parentAdcode ? (tree.get(self.parentAdcode) ?? null) : null;
  const childrenOf = (code: string) => [...tree.values()].filter((j) => j.parentAdcode === code);
  return {
    self,
    parent,
    siblings: parent ? childrenOf(parent.adcode).filter((j) => j.adcode !== adcode) : [],
    children: childrenOf(adcode),
  };
}

/** Whether `inner` is `outer` or lies below it in the tree (as the server's `areas.contains`). */
export function isWithin(tree: Map<string, JurisdictionNode>, outer: string, inner: string | null): boolean {
  for (let code = inner, depth = 0; code !== null && depth < 8; depth += 1) {
    if (code === outer) return true;
    code = tree.get(code)?.parentAdcode ?? null;
  }
  return false;
}

type Ring = number[][];

function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The county whose boundary holds the point (even-odd rule, holes respected), or null: for the unit board. */
export function countyOfPoint(boundaries: FeatureCollection, lon: number, lat: number): string | null {
  for (const feature of boundaries.features) {
    if (feature.properties?.level !== 'county') continue;
    const g = feature.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    const hit = polygons.some(
      (rings) => !!rings[0] && inRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lon, lat, hole)),
    );
    if (hit) return String(feature.properties.adcode);
  }
  return null;
}
