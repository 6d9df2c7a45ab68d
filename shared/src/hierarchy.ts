/** One jurisdiction of the tree (city and counties from the region pack; townships and villages generated). */
export interface JurisdictionInfo {
  adcode: string;
  name_zh: string;
  name_en: string;
  level: 'city' | 'county' | 'township' | 'village' | string;
  parentAdcode: string | null;
  /** True for township and village levels Beacon generated (the pack has no such boundaries): not real places. */
  generated: boolean;
}

/** Townships per county (in boundary order, cycled) and villages per township: the seed's 55 and ~1 011. */
const TOWNSHIPS_PER_COUNTY = [9, 7, 8, 6, 7, 7, 6, 5];
const VILLAGES_PER_TOWNSHIP = [18, 19, 17, 20, 18, 16, 19, 18, 21];

/**
 * Township and village levels under each county, generated deterministically (adcode + 3 digits for a
 * township, + 3 more for a village, as in China's statistical division codes) and named as generated, so no
 * one takes them for real places. They have no area of their own on the map: a point belongs to its county.
 * The server and the console both build the tree with this one function, so they always agree.
 */
export function generateLowerLevels(
  counties: { adcode: string; name_zh: string; name_en: string }[],
): JurisdictionInfo[] {
  const out: JurisdictionInfo[] = [];
  counties.forEach((county, c) => {
    const townships = TOWNSHIPS_PER_COUNTY[c % TOWNSHIPS_PER_COUNTY.length]!;
    for (let t = 1; t <= townships; t += 1) {
      const township = `${county.adcode}${String(100 + t).padStart(3, '0')}`;
      out.push({
        adcode: township,
        name_zh: `${county.name_zh}第${t}乡镇（生成）`,
        name_en: `${county.name_en} township ${t} (generated)`,
        level: 'township',
        parentAdcode: county.adcode,
        generated: true,
      });
      const villages = VILLAGES_PER_TOWNSHIP[(c * 7 + t) % VILLAGES_PER_TOWNSHIP.length]!;
      for (let v = 1; v <= villages; v += 1) {
        out.push({
          adcode: `${township}${String(200 + v).padStart(3, '0')}`,
          name_zh: `${county.name_zh}第${t}乡镇第${v}村（生成）`,
          name_en: `${county.name_en} township ${t} village ${v} (generated)`,
          level: 'village',
          parentAdcode: township,
          generated: true,
        });
      }
    }
  });
  return out;
}
