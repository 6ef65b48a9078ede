// Plans each Nomad job against the live cluster (`/v1/job/:id/plan` with Diff) when there is one.
// A missing or failing cluster never fails the review: each job says why it was not planned.
import { mapLimit } from '../../concurrency.js';
import { ApiError } from '../../errors.js';
import type { JobPlanResult } from '../../model/job-plan.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { NomadJobs, NomadJobSpec } from '../../ports/nomad.js';

export interface PlannedJob {
  jobId: string;
  result: JobPlanResult;
}

export interface PlanJobsOptions {
  logger?: Logger;
  /** Plans in flight at once. Default 4: a plan is a scheduler dry-run on the leader. */
  concurrency?: number;
}

export const NO_CLUSTER_NOTE = 'not planned: no cluster';

/**
 * `jobs` are the cluster's own parse of each job file (`/v1/jobs/parse`). Results come back in
 * the order of `jobs`. Once the cluster proves unreachable or leaderless, the remaining jobs are
 * not sent: they get the same note.
 */
export async function planJobs(nomad: Pick<NomadJobs, 'planJob'> | undefined, jobs: NomadJobSpec[], options: PlanJobsOptions = {}): Promise<PlannedJob[]> {
  if (!nomad) return jobs.map((job) => ({ jobId: job.ID, result: { planned: false, note: NO_CLUSTER_NOTE } }));
  const logger = options.logger ?? silentLogger;
  let clusterDown: string | undefined;
  return mapLimit(jobs, Math.max(1, options.concurrency ?? 4), async (job): Promise<PlannedJob> => {
    if (clusterDown) return { jobId: job.ID, result: { planned: false, note: clusterDown } };
    try {
      return { jobId: job.ID, result: { planned: true, plan: await nomad.planJob(job) } };
    } catch (error) {
      const note = `not planned: ${describe(error)}`;
      if (isClusterFailure(error)) clusterDown ??= note;
      logger.warn(`job ${job.ID}: ${note}`);
      return { jobId: job.ID, result: { planned: false, note } };
    }
  });
}

/** Failures of the cluster rather than of one job: nothing answered, no leader, a gateway error. */
function isClusterFailure(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === undefined || error.status === 502 || error.status === 503 || error.status === 504) return true;
  return /no cluster leader|no path to region|rpc error/i.test(error.message);
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
