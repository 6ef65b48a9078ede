// planJobs: a plan per job, or a note saying why not (no cluster, cluster down, job refused).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors.js';
import type { JobPlan } from '../../model/job-plan.js';
import type { NomadJobSpec } from '../../ports/nomad.js';
import { NO_CLUSTER_NOTE, planJobs } from './plan-jobs.js';

const jobs: NomadJobSpec[] = ['a', 'b', 'c', 'd'].map((ID) => ({ ID }));
const planOf = (jobId: string): JobPlan => ({ jobId, diffType: 'Added', groups: [], fields: [], jobModifyIndex: 0, failedPlacements: [] });

describe('planJobs', () => {
  it('says "not planned: no cluster" for every job when no cluster is configured', async () => {
    expect(await planJobs(undefined, jobs)).toEqual(jobs.map((j) => ({ jobId: j.ID, result: { planned: false, note: NO_CLUSTER_NOTE } })));
  });

  it('plans every job and keeps the order of the input', async () => {
    const delays: Record<string, number> = { a: 30, b: 0, c: 10, d: 0 };
    const nomad = { planJob: async (job: NomadJobSpec) => new Promise<JobPlan>((resolve) => setTimeout(() => resolve(planOf(job.ID)), delays[job.ID])) };
    const results = await planJobs(nomad, jobs, { concurrency: 3 });
    expect(results.map((r) => r.jobId)).toEqual(['a', 'b', 'c', 'd']);
    expect(results.every((r) => r.result.planned && r.result.plan.jobId === r.jobId)).toBe(true);
  });

  it('stops asking once the cluster is unreachable, and gives every job the reason', async () => {
    const asked: string[] = [];
    const nomad = {
      planJob: async (job: NomadJobSpec): Promise<JobPlan> => {
        asked.push(job.ID);
        throw new ApiError('nomad', undefined, 'POST /v1/job/a/plan: connection refused (http://127.0.0.1:4646)');
      },
    };
    const results = await planJobs(nomad, jobs, { concurrency: 1 });
    expect(asked).toEqual(['a']);
    expect(new Set(results.map((r) => JSON.stringify(r.result)))).toEqual(
      new Set([JSON.stringify({ planned: false, note: 'not planned: nomad: POST /v1/job/a/plan: connection refused (http://127.0.0.1:4646)' })]),
    );
  });

  it('keeps planning the other jobs when one job is refused', async () => {
    const nomad = {
      planJob: async (job: NomadJobSpec): Promise<JobPlan> => {
        if (job.ID === 'b') throw new ApiError('nomad', 400, 'POST /v1/job/b/plan: 400 1 error occurred: Missing job datacenters');
        return planOf(job.ID);
      },
    };
    const results = await planJobs(nomad, jobs, { concurrency: 1 });
    expect(results.map((r) => r.result.planned)).toEqual([true, false, true, true]);
    expect(results[1]!.result).toEqual({ planned: false, note: 'not planned: nomad: POST /v1/job/b/plan: 400 1 error occurred: Missing job datacenters' });
  });

  it('plans nothing for an empty list', async () => {
    expect(await planJobs({ planJob: async () => planOf('x') }, [])).toEqual([]);
  });
});
