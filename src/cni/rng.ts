// Deterministic randomness for one connection: mulberry32, a small 32-bit PRNG. The same seed
// gives the same sequence on every machine, so the same input + seed gives the same trace.

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linux's default net.ipv4.ip_local_port_range is 32768–60999. */
export const EPHEMERAL_LOW = 32768;
export const EPHEMERAL_HIGH = 60999;

export function ephemeralPort(random: () => number): number {
  return EPHEMERAL_LOW + Math.floor(random() * (EPHEMERAL_HIGH - EPHEMERAL_LOW + 1));
}
