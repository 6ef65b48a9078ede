// Checks the prompt-size benchmark on synthetic scenarios (sizes, not timings).
import { describe, expect, it } from 'vitest';
import { fleetChange, storageChange } from '../fixtures/llm-classify.js';
import { benchPromptSizes, measurePromptSizes } from './llm-prompt.bench.js';

describe('benchPromptSizes', () => {
  it('reports the compaction of a fleet-wide change and the tokens of a shared-module change', async () => {
    const fleet = fleetChange(30);
    const shared = { ...storageChange(), rawListing: 'unit listing\n'.repeat(200) };
    const scenarios = [
      { name: 'fleet-wide kernel', ...fleet },
      { name: 'shared-module mount options', ...shared },
    ];
    const sizes = await measurePromptSizes(scenarios);
    expect(sizes[0]?.ratio).toBeGreaterThanOrEqual(10);
    expect(sizes[1]?.promptTokens).toBeLessThanOrEqual(12_000);
    const { lines } = await benchPromptSizes(scenarios);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^llm prompt fleet-wide kernel: [\d,]+ chars .* compaction [\d.]+×, target ≥ 10×: met$/);
    expect(lines[1]).toMatch(/target ≤ 12k tokens: met$/);
  });
});
