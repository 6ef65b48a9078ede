import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A safety net, not a measure: tests wait for states, and a loaded two-core machine runs cold
    // Nix builds several times slower than a quiet one.
    testTimeout: 240_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Two cores: Nix builds already parallelise inside one process; more workers only contend for store locks.
    maxWorkers: 2,
  },
});
