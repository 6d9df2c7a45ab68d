import { describe, expect, it } from 'vitest';
import {
  INCIDENT_STATES,
  LIFECYCLE_LINE,
  OPEN_STATES,
  TERMINAL_STATES,
  checkTransition,
  isOpenState,
  raisePriority,
} from './lifecycle.ts';

describe('incident lifecycle', () => {
  it('allows each next step of the main line without a reason', () => {
    for (let i = 0; i + 1 < LIFECYCLE_LINE.length; i += 1) {
      expect(checkTransition(LIFECYCLE_LINE[i]!, LIFECYCLE_LINE[i + 1]!)).toEqual({ ok: true, skipped: [] });
    }
  });

  it('refuses a skip without a reason, and names the steps skipped when one is given', () => {
    expect(checkTransition('received', 'on_scene')).toMatchObject({
      ok: false,
      code: 'REASON_REQUIRED',
      message: expect.stringContaining('assessed, dispatched, en_route'),
    });
    expect(checkTransition('on_scene', 'closed', 'crew reported cleared')).toEqual({ ok: true, skipped: ['handling'] });
    expect(checkTransition('en_route', 'closed', 'settled by phone')).toEqual({
      ok: true,
      skipped: ['on_scene', 'handling'],
    });
    expect(checkTransition('on_scene', 'closed', '   ')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
  });

  it('never goes back, except taking the unit off a job to reassign it, with a reason', () => {
    expect(checkTransition('on_scene', 'en_route')).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(checkTransition('assessed', 'received')).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    expect(checkTransition('en_route', 'assessed')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(checkTransition('en_route', 'assessed', 'unit broke down')).toEqual({ ok: true, skipped: [] });
    expect(checkTransition('closed', 'assessed', 'reopen')).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('lets 处置 follow only 到场, whatever the reason', () => {
    expect(checkTransition('on_scene', 'handling')).toEqual({ ok: true, skipped: [] });
    expect(checkTransition('dispatched', 'handling', 'because')).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
  });

  it('lets 回访 follow only 办结', () => {
    expect(checkTransition('closed', 'feedback')).toEqual({ ok: true, skipped: [] });
    expect(checkTransition('handling', 'feedback', 'skip')).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('cancels any open incident with a reason, never a closed one', () => {
    for (const state of OPEN_STATES) {
      expect(checkTransition(state, 'cancelled')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
      expect(checkTransition(state, 'cancelled', 'false alarm')).toEqual({ ok: true, skipped: [] });
      expect(checkTransition(state, 'merged')).toEqual({ ok: true, skipped: [] });
    }
    expect(checkTransition('closed', 'cancelled', 'oops')).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('lets nothing leave a terminal state', () => {
    for (const from of TERMINAL_STATES) {
      for (const to of INCIDENT_STATES) {
        expect(checkTransition(from, to, 'a reason')).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
      }
    }
  });

  it('knows which states are open', () => {
    expect(INCIDENT_STATES.filter(isOpenState)).toEqual(OPEN_STATES);
  });

  it('raises priority one step, P1 stays P1', () => {
    expect(raisePriority('P3')).toBe('P2');
    expect(raisePriority('P1')).toBe('P1');
  });
});
