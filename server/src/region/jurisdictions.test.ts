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
