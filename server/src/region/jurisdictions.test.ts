import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadJurisdictions } from './jurisdictions.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../regions/bijie');

describe('jurisdictions of the Bijie pack', () => {
  const jurisdictions = loadJurisdictions(regionDir);

  it('places county seats in their county, not in the city that contains them', () => {
    expect(jurisdictions.locate(105.606015, 27.147134)).toBe('520521'); // 大方县 seat
    expect(jurisdictions.locate(104.284269, 26.862591)).toBe('520526'); // 威宁 seat
    expect(jurisdictions.locate(106.034611, 27.02828)).toBe('520522'); // 黔西市 (MultiPolygon)
  });

  it('knows no jurisdiction outside the region', () => {
    expect(jurisdictions.locate(116.4, 39.9)).toBeNull();
  });

  it('escalates a county to the city, and the city to nobody in the pack', () => {
    expect(jurisdictions.parentOf('520521')).toBe('520500');
    expect(jurisdictions.parentOf('520500')).toBeNull();
    expect(jurisdictions.get('520521')?.name_zh).toBe('大方县');
  });
});

describe('the generated township and village levels', () => {
  const jurisdictions = loadJurisdictions(regionDir);
  const byLevel = (level: string) => jurisdictions.list().filter((j) => j.level === level);

  it('has the seed centers’ shape: 1 city, the counties, 55 townships, about a thousand villages', () => {
    expect(byLevel('city')).toHaveLength(1);
    expect(byLevel('county')).toHaveLength(8);
    expect(byLevel('township')).toHaveLength(55);
    expect(byLevel('village').length).toBeGreaterThan(950);
    expect(byLevel('village').length).toBeLessThan(1100);
  });

  it('chains village → township → county → city, and says it is generated', () => {
    const village = byLevel('village')[0]!;
    const township = jurisdictions.get(village.parentAdcode!)!;
    expect(township).toMatchObject({ level: 'township', generated: true });
    expect(township.name_zh).toContain('（生成）');
    expect(jurisdictions.parentOf(township.adcode)).toBe(township.adcode.slice(0, 6));
    expect(jurisdictions.parentOf(township.adcode.slice(0, 6))).toBe('520500');
    expect(jurisdictions.childrenOf('520521').every((j) => j.level === 'township')).toBe(true);
    expect(jurisdictions.get('520521')!.generated).toBe(false);
  });

  it('still places a point in its county (generated levels have no area)', () => {
    expect(jurisdictions.locate(105.606015, 27.147134)).toBe('520521');
  });
});
