import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearCredentials,
  createEventIds,
  loadCredentials,
  saveCredentials,
  suggestedDeviceId,
} from './credentials.ts';

describe('patrol terminal credentials', () => {
  beforeEach(() => localStorage.clear());

  it('remembers one device and key per unit, and forgets them on sign-out', () => {
    saveCredentials('BJ-07', { deviceId: 'CAR-BJ-07', key: 'bk_secret' });
    expect(loadCredentials('BJ-07')).toEqual({ deviceId: 'CAR-BJ-07', key: 'bk_secret' });
    expect(loadCredentials('BJ-01')).toBeNull();
    clearCredentials('BJ-07');
    expect(loadCredentials('BJ-07')).toBeNull();
  });

  it('ignores damaged entries', () => {
    localStorage.setItem('beacon.patrol.BJ-07', '{not json');
    expect(loadCredentials('BJ-07')).toBeNull();
    localStorage.setItem('beacon.patrol.BJ-07', JSON.stringify({ deviceId: 'has space', key: 'k' }));
    expect(loadCredentials('BJ-07')).toBeNull();
  });

  it('suggests the CAR-<unit> device id', () => {
    expect(suggestedDeviceId('BJ-07')).toBe('CAR-BJ-07');
  });

  it('makes event ids unique across page loads: a boot id and a counter', () => {
    const first = createEventIds('gps', 1_700_000_000_000, () => 0.5);
    const again = createEventIds('gps', 1_700_000_000_001, () => 0.5);
    expect([first(), first()]).toEqual(['gps-loyw3v28i000-1', 'gps-loyw3v28i000-2']);
    expect(again()).not.toBe('gps-loyw3v28i000-1');
  });
});
