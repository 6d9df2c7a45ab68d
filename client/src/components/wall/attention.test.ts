import { describe, expect, it } from 'vitest';
import { makeIncident } from '../../testing/incident.ts';
import { AttentionQueue, PREEMPT_MAX_AGE_MS, shouldPreempt } from './attention.ts';
import { parseWallConfig } from './wall-config.ts';

const T = 1_800_000_000_000;

describe('attention preemption', () => {
  it('takes the wall for a new P1 awaiting dispatch, once, while it is recent', () => {
    const p1 = makeIncident({ id: 'A', priority: 'P1' }, T);
    expect(shouldPreempt(p1, undefined, T + 1000)).toBe(true);
    expect(shouldPreempt(p1, p1, T + 1000)).toBe(false);
    expect(shouldPreempt({ ...p1, priority: 'P2' }, undefined, T)).toBe(false);
    expect(shouldPreempt({ ...p1, state: 'dispatched' }, undefined, T)).toBe(false);
    expect(shouldPreempt(p1, undefined, T + PREEMPT_MAX_AGE_MS + 1)).toBe(false);
    // Raised to P1 (red fog) while still waiting for a unit.
    expect(shouldPreempt(p1, { ...p1, priority: 'P2' }, T + 1000)).toBe(true);
  });

  it('queues first come first served, each incident once, bounded', () => {
    const queue = new AttentionQueue(2);
    expect(queue.push('A')).toBe(true);
    expect(queue.push('A')).toBe(false);
    expect(queue.push('B')).toBe(true);
    expect(queue.push('C')).toBe(false);
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(['A', 'B', undefined]);
    expect(queue.push('A')).toBe(false);
  });
});

describe('wall settings from the address', () => {
  it('reads layout, tour, hold and the closure target, keeping defaults for nonsense', () => {
    expect(parseWallConfig('?layout=wide&tour=1&hold=12&closureTarget=97.5')).toMatchObject({
      layout: 'wide',
      tour: true,
      holdS: 12,
      closureTarget: 0.975,
    });
    expect(parseWallConfig('?layout=huge&hold=-3&closureTarget=abc')).toMatchObject({
      layout: 'standard',
      tour: false,
      holdS: 30,
      closureTarget: 0.95,
      tiles: null,
      cameras: true,
    });
  });

  it('takes an http(s) underlay from the address over the build’s, and nothing else', () => {
    const template = 'http://tiles.intranet/{z}/{x}/{y}.png';
    expect(parseWallConfig(`?tiles=${encodeURIComponent(template)}&cameras=0`)).toMatchObject({
      tiles: template,
      cameras: false,
    });
    expect(parseWallConfig('?tiles=/basemap/style.json', 'http://build/{z}/{x}/{y}.png').tiles).toBe(
      '/basemap/style.json',
    );
    expect(parseWallConfig('', 'http://build/{z}/{x}/{y}.png').tiles).toBe('http://build/{z}/{x}/{y}.png');
    expect(parseWallConfig('?tiles=javascript:alert(1)').tiles).toBeNull();
  });
});
