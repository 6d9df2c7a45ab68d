import { describe, expect, it } from 'vitest';
import { formatElapsed, localStake, statusTimer } from './format.ts';

describe('screen timers', () => {
  it('formats elapsed time as mm:ss, then h:mm:ss', () => {
    expect(formatElapsed(133_000)).toBe('02:13');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-5_000)).toBe('00:00');
  });

  it('times the phases of a job and the drive back, not idle or off-duty units', () => {
    const since = 1_000_000;
    expect(statusTimer({ status: 'dispatched', statusSince: since }, since + 133_000)).toBe('02:13');
    expect(statusTimer({ status: 'on_scene', statusSince: since }, since + 340_000)).toBe('05:40');
    expect(statusTimer({ status: 'returning', statusSince: since }, since + 60_000)).toBe('01:00');
    expect(statusTimer({ status: 'available', statusSince: since }, since + 60_000)).toBeNull();
    expect(statusTimer({ status: 'off_duty', statusSince: since }, since + 60_000)).toBeNull();
  });
});

describe('stakes on screen', () => {
  it('names the carriageway in the screen language and leaves anything else as sent', () => {
    expect(localStake('SX3 K11+489 下行', 'zh')).toBe('SX3 K11+489 下行');
    expect(localStake('SX3 K11+489 下行', 'en')).toBe('SX3 K11+489 down');
    expect(localStake('SX1 K20+000', 'en')).toBe('SX1 K20+000');
    expect(localStake('not a stake', 'en')).toBe('not a stake');
  });
});
