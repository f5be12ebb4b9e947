/**
 * A reproducible random number generator for property tests (xorshift32): numbers in [0, 1),
 * the same sequence for the same seed, and random enough to pair every edge value with every other.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
