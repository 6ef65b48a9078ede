// Nomad jobs of a change: load the job files at both revisions (no checkout), validate the head
// statically, diff base against head, and plan changed jobs on the live cluster when there is one.
// Nothing is parsed when no job file changed: the HCL parser's start-up is not paid for nothing.
import type { JobChange } from '../../model/job-change.js';
import type { JobFinding } from '../../model/nomad-job.js';
import type { GitPort } from '../../ports/git.js';
import type { HclJobParser } from '../../ports/hcl.js';
import type { Logger } from '../../ports/logger.js';
import type { NomadJobs, NomadJobSpec } from '../../ports/nomad.js';
import { planJobs } from '../build/plan-jobs.js';
import { discoverJobFiles } from '../detect/discover-job-files.js';
import { validateJobs, type ValidationContext } from '../validate/validate-jobs.js';
import { diffJobs, type DiffOptions } from './jobs/diff-jobs.js';
import { loadJobsAtRevision } from './jobs/load-jobs.js';

export interface JobAnalysis {
  jobs: JobChange[];
  /** Static validation of the head (errors block any deploy). */
  findings: JobFinding[];
  /** Job files found at head (0 when no job file changed and none were read). */
  files: number;
}

export interface AnalyzeJobsInput {
  base: string;
  head: string;
  changedPaths: string[];
  globs: string[];
  context: ValidationContext;
  diffOptions: DiffOptions;
}

export async function analyzeJobs(deps: { git: GitPort; hcl: HclJobParser; nomad?: NomadJobs; logger: Logger }, input: AnalyzeJobsInput): Promise<JobAnalysis> {
  if (discoverJobFiles(input.changedPaths, input.globs).length === 0) return { jobs: [], findings: [], files: 0 };
  const [base, head] = await Promise.all([loadJobsAtRevision(deps.git, deps.hcl, input.base, input.globs), loadJobsAtRevision(deps.git, deps.hcl, input.head, input.globs)]);
  const findings = validateJobs(head, input.context);
  const jobs = diffJobs(base.jobs, head.jobs, input.diffOptions);
  if (deps.nomad) await planChangedJobs(deps as { git: GitPort; nomad: NomadJobs; logger: Logger }, input.head, jobs);
  else for (const job of jobs) job.plan = { planned: false, note: 'not planned: no cluster' };
  return { jobs, findings, files: head.files.length };
}

/** Asks the cluster to parse each changed job file (its own HCL parser), then plans it. */
async function planChangedJobs(deps: { git: GitPort; nomad: NomadJobs; logger: Logger }, head: string, jobs: JobChange[]): Promise<void> {
  const planned = jobs.filter((j) => j.change !== 'removed');
  for (const job of jobs) if (job.change === 'removed') job.plan = { planned: false, note: 'not planned: the job is removed (a stop, see the diff)' };
  const specs: NomadJobSpec[] = [];
  for (const job of planned) {
    try {
      const spec = await deps.nomad.parseJob((await deps.git.show(head, job.file)) ?? '');
      specs.push(spec);
    } catch (error) {
      job.plan = { planned: false, note: `not planned: the cluster could not parse ${job.file}: ${(error as Error).message}` };
    }
  }
  const results = await planJobs(deps.nomad, specs, { logger: deps.logger });
  for (const result of results) {
    const job = planned.find((j) => j.job === result.jobId);
    if (job) job.plan = result.result;
  }
}
