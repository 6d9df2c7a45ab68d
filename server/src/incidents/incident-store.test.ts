import { describe, expect, it } from 'vitest';
import { formatIncidentId, incidentFromHash, localDayKey } from './incident-store.ts';

describe('incident ids', () => {
  it('number incidents per Beijing day', () => {
    expect(localDayKey(Date.parse('2026-11-25T15:59:59Z'))).toBe('20261125');
    expect(localDayKey(Date.parse('2026-11-25T16:00:00Z'))).toBe('20261126');
    expect(formatIncidentId('20261125', 7)).toBe('INC-20261125-0007');
  });

  it('refuses a damaged hash instead of inventing fields', () => {
    expect(incidentFromHash({})).toBeNull();
    expect(incidentFromHash({ id: 'INC-1', type: 'pedestrian', state: 'nonsense' })).toBeNull();
  });
});
