import { describe, expect, it } from 'vitest';
import { createAlertTone } from './alert-tone.ts';

/** Just enough of an AudioContext to see what the tone schedules. */
function fakeContext(initial: AudioContextState, resumeWorks: boolean) {
  const started: number[] = [];
  const frequencies: number[] = [];
  const param = () => ({
    setValueAtTime: (v: number) => void frequencies.push(v),
    exponentialRampToValueAtTime: () => undefined,
  });
  const node = () => ({ connect: () => undefined });
  const ctx = {
    state: initial,
    currentTime: 10,
    destination: {},
    resume: () => {
      if (resumeWorks) ctx.state = 'running';
      return resumeWorks ? Promise.resolve() : new Promise<void>(() => undefined);
    },
    createOscillator: () => ({
      ...node(),
      type: 'sine',
      frequency: param(),
      start: (t: number) => void started.push(t),
      stop: () => undefined,
    }),
    createGain: () => ({ ...node(), gain: { ...param(), setValueAtTime: () => undefined } }),
    createBuffer: () => ({}),
    createBufferSource: () => ({ ...node(), buffer: null, start: () => undefined }),
  };
  return { ctx, started, frequencies };
}

describe('alert tone', () => {
  it('schedules a two-pitch pattern once the context runs', async () => {
    const fake = fakeContext('suspended', true);
    const tone = createAlertTone(() => fake.ctx as never);
    tone.unlock();
    expect(await tone.play()).toBe('played');
    expect(fake.started).toHaveLength(6);
    expect(new Set(fake.frequencies)).toEqual(new Set([988, 740]));
    expect(fake.started[0]).toBeGreaterThan(10);
  });

  it('says blocked, without throwing, when the browser refuses sound before a gesture', async () => {
    const fake = fakeContext('suspended', false);
    const tone = createAlertTone(() => fake.ctx as never);
    expect(await tone.play()).toBe('blocked');
    expect(fake.started).toHaveLength(0);
  });

  it('says unavailable where there is no Web Audio', async () => {
    const tone = createAlertTone(null);
    expect(tone.supported).toBe(false);
    tone.unlock();
    expect(await tone.play()).toBe('unavailable');
  });
});
