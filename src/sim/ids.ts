// Deterministic UUIDs for the simulator: the same scenario gives the same IDs on every run, so
// tests and demos can be compared and rendered text stays stable.
import { createHash } from 'node:crypto';

export function createIdGenerator(seed: string): () => string {
  let counter = 0;
  return () => {
    const hex = createHash('sha256').update(`${seed}:${counter++}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}
