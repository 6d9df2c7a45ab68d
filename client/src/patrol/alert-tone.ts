/** What happened when the terminal tried to sound the alert. */
export type ToneOutcome = 'played' | 'blocked' | 'unavailable';

/** The subset of the Web Audio API the tone needs; a fake stands in for it in tests. */
type AudioContextLike = Pick<
  AudioContext,
  | 'state'
  | 'currentTime'
  | 'destination'
  | 'resume'
  | 'createOscillator'
  | 'createGain'
  | 'createBuffer'
  | 'createBufferSource'
>;

/** Two alternating pitches, like a siren's yelp, loud enough to be heard over a running engine. */
const PATTERN_HZ = [988, 740, 988, 740, 988, 740];
const BEEP_S = 0.16;
const GAP_S = 0.04;

/**
 * An alert tone generated with the Web Audio API: no audio file, nothing fetched. Browsers only let a page
 * make sound after a user gesture, so `unlock()` must be called from one (the login tap, or any tap later);
 * until then `play()` answers `blocked` and the screen has to carry the alert on its own.
 */
export function createAlertTone(createContext: (() => AudioContextLike) | null = defaultContextFactory()) {
  let context: AudioContextLike | null = null;

  function ensureContext(): AudioContextLike | null {
    if (context || !createContext) return context;
    try {
      context = createContext();
    } catch {
      context = null;
    }
    return context;
  }

  return {
    /** Whether this browser can make the tone at all. */
    get supported(): boolean {
      return createContext !== null;
    },

    /** Call inside a user gesture: creates or resumes the audio context and plays one silent sample. */
    unlock(): void {
      const ctx = ensureContext();
      if (!ctx) return;
      void ctx.resume().catch(() => undefined);
      try {
        const source = ctx.createBufferSource();
        source.buffer = ctx.createBuffer(1, 1, 22_050);
        source.connect(ctx.destination);
        source.start(0);
      } catch {
        // Some engines refuse a silent sample; resume() alone is enough for them.
      }
    },

    /** Sound the alert once (about one second). Never throws. */
    async play(): Promise<ToneOutcome> {
      const ctx = ensureContext();
      if (!ctx) return 'unavailable';
      const running = () => ctx.state === 'running';
      if (!running()) {
        // Outside a gesture resume() may stay pending forever: give it a moment, then call it blocked.
        await Promise.race([ctx.resume().catch(() => undefined), new Promise((r) => setTimeout(r, 250))]);
        if (!running()) return 'blocked';
      }
      try {
        let t = ctx.currentTime + 0.02;
        for (const hz of PATTERN_HZ) {
          const osc = ctx.createOscillator();
          const gain = ctx.createGain();
          osc.type = 'square';
          osc.frequency.setValueAtTime(hz, t);
          // A short attack and release: no clicks, and square waves carry well through cabin noise.
          gain.gain.setValueAtTime(0.0001, t);
          gain.gain.exponentialRampToValueAtTime(0.35, t + 0.015);
          gain.gain.setValueAtTime(0.35, t + BEEP_S - 0.03);
          gain.gain.exponentialRampToValueAtTime(0.0001, t + BEEP_S);
          osc.connect(gain);
          gain.connect(ctx.destination);
          osc.start(t);
          osc.stop(t + BEEP_S + 0.01);
          t += BEEP_S + GAP_S;
        }
        return 'played';
      } catch {
        return 'unavailable';
      }
    },
  };
}
export type AlertTone = ReturnType<typeof createAlertTone>;

function defaultContextFactory(): (() => AudioContextLike) | null {
  if (typeof window === 'undefined') return null;
  const Ctor =
    window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  return Ctor ? () => new Ctor() : null;
}
