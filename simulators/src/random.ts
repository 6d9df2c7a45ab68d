/**
 * A source of uniform random numbers in [0, 1), like `Math.random`. Simulators take one injected
 * so that a seed reproduces a whole run in tests.
 */
export type Random = () => number;

/** mulberry32: a tiny, fast, seedable 32-bit PRNG; plenty for a demo feed, not for anything secret. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Uniform in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random();
}

/** Uniform integer in [min, max], both inclusive. */
export function integer(random: Random, min: number, max: number): number {
  return Math.min(max, Math.floor(uniform(random, min, max + 1)));
}

/** True with probability p. */
export function chance(random: Random, p: number): boolean {
  return random() < p;
}

/** One element of a non-empty array. */
export function pick<T>(random: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick: empty array');
  return items[integer(random, 0, items.length - 1)]!;
}

/** Approximately normal (Irwin–Hall with 4 terms), mean 0, standard deviation 1, bounded to ±3.46. */
export function gaussian(random: Random): number {
  return (random() + random() + random() + random() - 2) * Math.sqrt(3);
}
