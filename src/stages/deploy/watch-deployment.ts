// Follows a Nomad evaluation and deployment to their end with blocking queries (never tight
// polling), through the Nomad port: each request waits server-side until the deployment changes or `waitMs` passes.
import type { NomadDeployment, NomadDeployments, NomadEvaluation } from '../../ports/nomad.js';

export interface WatchOptions {
  /** Server-side wait of each blocking query. Default 60 s. */
  waitMs?: number;
  /** Overall deadline (wall clock). Default 30 minutes. */
  timeoutMs?: number;
  /** Called with each new state of the deployment (first answer included). */
  onUpdate?: (deployment: NomadDeployment) => void;
}

export interface WatchOutcome {
  /** The deployment's final status, or `timeout` when the deadline passed first. */
  status: 'successful' | 'failed' | 'cancelled' | 'timeout';
  deployment: NomadDeployment;
  /** Requests made: with blocking queries, about one per change of the deployment. */
  requests: number;
}

const TERMINAL_DEPLOYMENT = new Set(['successful', 'failed', 'cancelled']);
const TERMINAL_EVAL = new Set(['complete', 'failed', 'canceled', 'cancelled']);

export async function watchDeployment(nomad: NomadDeployments, deploymentId: string, options: WatchOptions = {}): Promise<WatchOutcome> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let index = 0;
  let requests = 0;
  let lastSeen = -1;
  for (;;) {
    const waitMs = Math.max(1, Math.min(options.waitMs ?? 60_000, deadline - Date.now()));
    const answer = await nomad.deployment(deploymentId, { index, waitMs });
    requests++;
    const deployment = answer.value;
    if (deployment.modifyIndex !== lastSeen) {
      lastSeen = deployment.modifyIndex;
      options.onUpdate?.(deployment);
    }
    if (TERMINAL_DEPLOYMENT.has(deployment.status)) return { status: deployment.status as WatchOutcome['status'], deployment, requests };
    if (Date.now() >= deadline) return { status: 'timeout', deployment, requests };
    index = nextIndex(index, answer.index);
  }
}

/** Waits for an evaluation to finish; its deploymentId says which deployment to watch. */
export async function waitForEvaluation(nomad: NomadDeployments, evalId: string, options: Pick<WatchOptions, 'waitMs' | 'timeoutMs'> = {}): Promise<NomadEvaluation> {
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  let index = 0;
  for (;;) {
    const waitMs = Math.max(1, Math.min(options.waitMs ?? 30_000, deadline - Date.now()));
    const answer = await nomad.evaluation(evalId, { index, waitMs });
    if (TERMINAL_EVAL.has(answer.value.status) || Date.now() >= deadline) return answer.value;
    index = nextIndex(index, answer.index);
  }
}

/**
 * Nomad's rules for the next `index`: an index that went backwards (a restored snapshot) resets
 * the watch; an index of 0 or 1 must never be reused as-is, or the query would not block.
 */
export function nextIndex(previous: number, answered: number): number {
  if (answered < previous) return 0;
  return Math.max(answered, 1);
}
