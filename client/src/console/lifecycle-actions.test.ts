import { describe, expect, it } from 'vitest';
import { lifecycleActions } from './lifecycle-actions.ts';

const shown = (state: Parameters<typeof lifecycleActions>[0]) =>
  lifecycleActions(state).map((a) => `${a.label}${a.reasonRequired ? '*' : ''}`);

describe('console lifecycle actions', () => {
  it('offers 研判 freely from received, and closing or cancelling only with a reason', () => {
    expect(shown('received')).toEqual(['action.assessed', 'action.closed*', 'action.cancelled*']);
  });

  it('offers 改派 (back to assessed, with a reason) while a unit holds the incident', () => {
    expect(shown('dispatched')).toEqual(['action.reassign*', 'action.closed*', 'action.cancelled*']);
    expect(lifecycleActions('en_route').find((a) => a.to === 'assessed')).toMatchObject({
      label: 'action.reassign',
      caution: true,
    });
  });

  it('offers 处置 only from on scene, then 办结 without a reason from handling', () => {
    expect(shown('on_scene')).toEqual(['action.reassign*', 'action.handling', 'action.closed*', 'action.cancelled*']);
    expect(shown('handling')).toEqual(['action.reassign*', 'action.closed', 'action.cancelled*']);
  });

  it('offers only 回访 after 办结, and nothing once an incident has ended', () => {
    expect(shown('closed')).toEqual(['action.feedback']);
    expect(shown('feedback')).toEqual([]);
    expect(shown('cancelled')).toEqual([]);
    expect(shown('merged')).toEqual([]);
  });
});
