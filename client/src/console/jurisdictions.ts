import type { FeatureCollection } from 'geojson';
import { generateLowerLevels, inPolygon, type JurisdictionInfo } from '@beacon/shared';

/** One center of the tree: the pack's city and counties, and the generated townships and villages under them. */
export type JurisdictionNode = JurisdictionInfo;

/** Where a work order may go from one center: its parent, its siblings and its children. */
export interface JurisdictionsAround {
  self: JurisdictionNode;
  parent: JurisdictionNode | null;
  siblings: JurisdictionNode[];
  children: JurisdictionNode[];
}

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
  // The same generated levels as the server's (one function in @beacon/shared), so every center has a name.
  for (const node of generateLowerLevels([...tree.values()].filter((j) => j.level === 'county'))) {
    tree.set(node.adcode, node);
  }
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

/** The county whose boundary holds the point (even-odd rule, holes respected), or null: for the unit board. */
export function countyOfPoint(boundaries: FeatureCollection, lon: number, lat: number): string | null {
  for (const feature of boundaries.features) {
    if (feature.properties?.level !== 'county') continue;
    const g = feature.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    const hit = polygons.some((rings) => inPolygon([lon, lat], rings));
    if (hit) return String(feature.properties.adcode);
  }
  return null;
}
