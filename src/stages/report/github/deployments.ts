// GitHub Deployments mirror the deploy records: one environment per host and per Nomad job, one
// deployment per (commit, environment), its statuses following the record's state.
import { z } from 'zod';
import type { DeploymentState, GitHubDeployments } from '../../../ports/github.js';
import type { Logger } from '../../../ports/logger.js';
import type { Redactor } from '../../../redact.js';
import { GITHUB_LIMITS, fitLine } from './limits.js';

export const DeployRecordState = z.enum([
  /** The executor took the target in hand. */
  'started',
  /** Activated, not yet verified. */
  'activated',
  'verified',
  'failed',
  'rolled-back',
  /** A newer commit replaced it on this target. */
  'superseded',
]);
export type DeployRecordState = z.infer<typeof DeployRecordState>;

/** The generic deploy record the deploy executor maps its own records onto. */
export const DeployMirrorRecord = z
  .object({
    target: z.object({ kind: z.enum(['host', 'job']), name: z.string().min(1) }).strict(),
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    state: DeployRecordState,
    message: z.string().default(''),
    logUrl: z.string().url().optional(),
    environmentUrl: z.string().url().optional(),
  })
  .strict();
export type DeployMirrorRecord = z.input<typeof DeployMirrorRecord>;

export const DEPLOYMENT_TASK = 'deploy:steward';

export function environmentName(target: DeployMirrorRecord['target']): string {
  return target.kind === 'host' ? `nixos/${target.name}` : `nomad/${target.name}`;
}

// Success only once verified: GitHub marks the environment's older deployments inactive on a
// success (auto_inactive), and a rolled-back activation must leave the previous one active.
const STATE_OF: Record<DeployRecordState, DeploymentState> = {
  started: 'in_progress',
  activated: 'in_progress',
  verified: 'success',
  failed: 'failure',
  'rolled-back': 'failure',
  superseded: 'inactive',
};

export interface PlannedDeploymentStatus {
  environment: string;
  state: DeploymentState;
  description: string;
}

export function planDeploymentStatus(record: DeployMirrorRecord): PlannedDeploymentStatus {
  const parsed = DeployMirrorRecord.parse(record);
  const state = STATE_OF[parsed.state];
  const description = parsed.message ? `${parsed.state}: ${parsed.message}` : parsed.state;
  return { environment: environmentName(parsed.target), state, description: fitLine(description, GITHUB_LIMITS.deploymentDescription) };
}

export interface MirrorDeps {
  github: GitHubDeployments;
  redactor: Redactor;
  logger: Logger;
}

/**
 * Posts the record's state as a deployment status, creating the deployment for (commit,
 * environment) the first time. Idempotent across resumed runs: the deployment is looked up first.
 */
export async function mirrorDeployRecord(deps: MirrorDeps, record: DeployMirrorRecord): Promise<{ deploymentId: number; state: DeploymentState }> {
  const planned = planDeploymentStatus(record);
  const filter = { sha: record.sha, environment: planned.environment, task: DEPLOYMENT_TASK };
  const existing = (await deps.github.listDeployments(filter)).find((d) => d.sha === record.sha && d.environment === planned.environment);
  const deployment =
    existing ??
    (await deps.github.createDeployment({
      ...filter,
      description: deps.redactor.redact(fitLine(`Steward deploy of ${record.sha.slice(0, 12)} to ${record.target.kind} ${record.target.name}`, GITHUB_LIMITS.deploymentDescription)),
    }));
  await deps.github.createDeploymentStatus(deployment.id, {
    state: planned.state,
    description: deps.redactor.redact(planned.description),
    ...(record.logUrl ? { logUrl: record.logUrl } : {}),
    ...(record.environmentUrl ? { environmentUrl: record.environmentUrl } : {}),
  });
  deps.logger.debug(`deployment ${deployment.id} (${planned.environment}): ${planned.state}`);
  return { deploymentId: deployment.id, state: planned.state };
}
