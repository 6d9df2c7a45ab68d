import { describe, expect, it } from 'vitest';
import { formatStake, parseStake } from './region.ts';

describe('stake numbers', () => {
  it('formats road, kilometre+metre and carriageway', () => {
    expect(formatStake({ ref: 'G56', m: 1_234_500, direction: 'up' })).toBe('G56 K1234+500 上行');
    expect(formatStake({ ref: 'SX1', m: 7.4, direction: 'down' })).toBe('SX1 K0+007 下行');
    expect(formatStake({ ref: 'SX1', m: 7.4, direction: 'down' }, 'en')).toBe('SX1 K0+007 down');
    expect(formatStake({ ref: 'SX1', m: 12_000, direction: null })).toBe('SX1 K12+000');
  });

  it('parses what it formats, and English directions', () => {
    expect(parseStake('G56 K1234+500 上行')).toEqual({ ref: 'G56', m: 1_234_500, direction: 'up' });
    expect(parseStake('SX2 K3+050 down')).toEqual({ ref: 'SX2', m: 3050, direction: 'down' });
    expect(parseStake('SX2 K3+050')).toEqual({ ref: 'SX2', m: 3050, direction: null });
    expect(parseStake('K3+050')).toBeNull();
  });
});
