import { describe, expect, it } from 'vitest';
import { clampTime, fromBeijingInput, parseAtParam, toBeijingInput } from './time-scrubber.ts';

const T = Date.parse('2026-11-26T00:30:05Z');

describe('the time scrubber', () => {
  it('shows and reads times in Beijing time', () => {
    expect(toBeijingInput(T)).toBe('2026-11-26T08:30:05');
    expect(fromBeijingInput('2026-11-26T08:30:05')).toBe(T);
    expect(fromBeijingInput('2026-11-26T08:30')).toBe(T - 5000);
    expect(fromBeijingInput('')).toBeNull();
    expect(fromBeijingInput('yesterday')).toBeNull();
  });

  it('keeps the time inside the span the stream still holds', () => {
    expect(clampTime(5, 10, 20)).toBe(10);
    expect(clampTime(25, 10, 20)).toBe(20);
    expect(clampTime(15, 10, 20)).toBe(15);
    expect(clampTime(15, 30, 20)).toBe(30);
  });

  it('takes the time from the address as epoch ms or ISO', () => {
    expect(parseAtParam(String(T))).toBe(T);
    expect(parseAtParam('2026-11-26T00:30:05Z')).toBe(T);
    expect(parseAtParam('2026-11-26T08:30:05+08:00')).toBe(T);
    expect(parseAtParam('2026-11-26T08:30:05')).toBe(T);
    expect(parseAtParam(undefined)).toBeNull();
    expect(parseAtParam('soon')).toBeNull();
  });
});
