// Checks that the Nomad benchmark runs and measures what it says (no timing is asserted here).
import { describe, expect, it } from 'vitest';
import { parseJobSources } from '../../src/stages/analyze/jobs/load-jobs.js';
import { validateJobs } from '../../src/stages/validate/validate-jobs.js';
import { benchNomadJobs, generateJobFiles } from './nomad-jobs.bench.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

describe('benchNomadJobs', () => {
  it('generates distinct jobs that validate without errors', async () => {
    const files = generateJobFiles(24);
    expect(new Set(files.map((f) => f.path)).size).toBe(24);
    const loaded = await parseJobSources(files, hclJobParser);
    expect(new Set(loaded.jobs.map((j) => j.id)).size).toBe(24);
    expect(validateJobs(loaded).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('reports totals and a per-file median', async () => {
    const result = await benchNomadJobs(12);
    expect(result.lines[0]).toMatch(/^nomad jobs: 12 files, 12 jobs, 0 validation errors/);
    expect(result.perFileMedianMs).toBeGreaterThan(0);
    expect(result.totalMs).toBeGreaterThanOrEqual(result.perFileMedianMs);
  });
});
