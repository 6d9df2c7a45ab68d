import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { buildJurisdictionTree, isWithin, jurisdictionsAround } from './jurisdictions.ts';

const feature = (adcode: string, name_zh: string, level: string, parent_adcode: string | null) => ({
  type: 'Feature' as const,
  properties: { adcode, name_zh, name_en: name_zh, level, parent_adcode },
  geometry: { type: 'Point' as const, coordinates: [0, 0] },
});
const counties = ['520502', '520521', '520522', '520523', '520524', '520525', '520526', '520527'];
const pack: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    feature('520500', '毕节市', 'city', '520000'),
    ...counties.map((c) => feature(c, `县${c}`, 'county', '520500')),
  ],
};

describe('the jurisdiction tree', () => {
  it('derives the same 55 townships and villages as the server, named as generated', () => {
    const tree = buildJurisdictionTree(pack);
    const townships = [...tree.values()].filter((j) => j.level === 'township');
    expect(townships).toHaveLength(55);
    expect(tree.get('520521101')).toMatchObject({ parentAdcode: '520521', name_zh: '县520521第1乡镇（生成）' });
    expect(tree.get('520521101201')).toMatchObject({ parentAdcode: '520521101', level: 'village', generated: true });
    const villages = [...tree.values()].filter((j) => j.level === 'village').length;
    expect(villages).toBeGreaterThan(950);
    expect(villages).toBeLessThan(1100);
  });

  it('gives a center its parent, siblings and children', () => {
    const tree = buildJurisdictionTree(pack);
    const county = jurisdictionsAround(tree, '520521')!;
    expect(county.parent?.adcode).toBe('520500');
    expect(county.siblings.map((s) => s.adcode)).toEqual(counties.filter((c) => c !== '520521'));
    expect(county.children.map((c) => c.adcode)).toEqual(
      ['101', '102', '103', '104', '105', '106', '107'].map((t) => `520521${t}`),
    );
    const city = jurisdictionsAround(tree, '520500')!;
    expect(city.parent).toBeNull();
    expect(city.children).toHaveLength(8);
    expect(jurisdictionsAround(tree, '999999')).toBeNull();
  });

  it('tells what lies below a center', () => {
    const tree = buildJurisdictionTree(pack);
    expect(isWithin(tree, '520500', '520521101')).toBe(true);
    expect(isWithin(tree, '520521', '520521101201')).toBe(true);
    expect(isWithin(tree, '520521101', '520521')).toBe(false);
    expect(isWithin(tree, '520521', '520522')).toBe(false);
    expect(isWithin(tree, '520521', null)).toBe(false);
  });
});
