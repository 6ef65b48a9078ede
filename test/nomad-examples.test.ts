// The example homelab's Nomad jobs validate clean, and each demo scenario reaches its verdict
// through the real parser, normaliser, validator, diff and rules.
import { describe, expect, it } from 'vitest';
import { mostSevere } from '../src/model/label.js';
import { JobChange } from '../src/model/job-change.js';
import { diffJobs } from '../src/stages/analyze/jobs/diff-jobs.js';
import { parseJobSources } from '../src/stages/analyze/jobs/load-jobs.js';
import { jobRules, validationRules } from '../src/stages/classify/job-rules.js';
import { validateJobs } from '../src/stages/validate/validate-jobs.js';
import { EXAMPLE_VALIDATION_CONTEXT, exampleNomadSources, nomadScenarios } from './fixtures/nomad-scenarios.js';
import { hclJobParser } from '../src/adapters/hcl/parse-job-hcl.js';

describe('example homelab Nomad jobs', () => {
  it('has 6-10 jobs that parse, normalise and validate without any finding', async () => {
    const sources = exampleNomadSources();
    expect(sources.length).toBeGreaterThanOrEqual(6);
    expect(sources.length).toBeLessThanOrEqual(10);
    const loaded = await parseJobSources(sources, hclJobParser);
    expect(loaded.jobs).toHaveLength(sources.length);
    expect(validateJobs(loaded, EXAMPLE_VALIDATION_CONTEXT)).toEqual([]);
  });

  it('covers what a homelab runs: a system ingress, a database on a host volume, a periodic batch', async () => {
    const { jobs } = await parseJobSources(exampleNomadSources(), hclJobParser);
    expect(jobs.find((j) => j.id === 'traefik')).toMatchObject({ type: 'system' });
    expect(jobs.find((j) => j.id === 'traefik')!.groups[0]!.network!.ports.filter((p) => p.static !== null).map((p) => p.static)).toEqual([80, 443]);
    expect(jobs.find((j) => j.id === 'postgres')!.groups[0]!.volumes[0]).toMatchObject({ type: 'host', source: 'postgres-data' });
    expect(jobs.find((j) => j.id === 'backup-postgres')).toMatchObject({ type: 'batch', periodic: { crons: ['0 3 * * *'] } });
    expect(jobs.find((j) => j.id === 'whoami')!.defaultsUsed).toEqual(['domain']);
  });
});

describe('nomad demo scenarios', () => {
  it.each(nomadScenarios.map((s) => [s.name, s] as const))('%s reaches its expected verdict', async (_name, scenario) => {
    const base = exampleNomadSources();
    const edited = new Map(base.map((s) => [s.path, s.content]));
    for (const e of scenario.edits) edited.set(e.path, e.content);
    const baseJobs = await parseJobSources(base, hclJobParser);
    const headJobs = await parseJobSources([...edited].map(([path, content]) => ({ path, content })), hclJobParser);
    const findings = validateJobs(headJobs, EXAMPLE_VALIDATION_CONTEXT);
    const changes = diffJobs(baseJobs.jobs, headJobs.jobs);
    for (const c of changes) JobChange.parse(c);
    expect(changes).toHaveLength(scenario.edits.length);
    if (scenario.expectedValidationError) {
      const errors = findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => f.code)).toContain(scenario.expectedValidationError);
      expect(errors.every((f) => scenario.edits.some((e) => e.path === f.file))).toBe(true);
      expect(validationRules(findings).length).toBeGreaterThan(0);
    } else {
      expect(findings).toEqual([]);
      const label = mostSevere(...jobRules(changes).map((r) => r.label));
      expect(label).toBe(scenario.expectedLabel);
    }
  });
});
