// One action a session asked for, from request to record: policy, autonomy, rate limit, then the
// executor; every step recorded in the action record (`steward history --actions`) with the session.
import type { SessionActionOutcome } from '../../ports/session-runner.js';
import type { SessionEnvironment } from './environment.js';
import { executeAction } from './execute-action.js';
import { autonomyOf, decidePolicy, type ActionRequest } from './policy.js';

export interface ActionOutcome extends SessionActionOutcome {
  /** Policy sent it to a person: the session must escalate. */
  escalate: boolean;
}

export async function requestAction(env: SessionEnvironment, sessionId: string, request: ActionRequest): Promise<ActionOutcome> {
  const why = env.redactor.redact(request.why).slice(0, 1000);
  const record = (status: 'refused' | 'proposed' | 'running', detail: string) =>
    env.store.recordAction({ sessionId, actionClass: request.actionClass, target: request.target, why, status, detail });
  const done = (id: number, status: SessionActionOutcome['status'], detail: string, escalate = false): ActionOutcome => ({ id, action: request.actionClass, target: request.target, status, detail, escalate });

  const policy = decidePolicy(env.config, request, env.hostNames);
  if (policy.verdict === 'invalid') return done(record('refused', `invalid: ${policy.reason}`), 'refused', `invalid: ${policy.reason}`);
  if (policy.verdict === 'escalate') return done(record('refused', `escalated: ${policy.reason}`), 'refused', `escalated: ${policy.reason}`, true);

  const autonomy = autonomyOf(env.config, request.actionClass);
  if (autonomy === 'observe') {
    const detail = `autonomy of ${request.actionClass} is observe: reported, not done`;
    return done(record('refused', detail), 'refused', detail);
  }
  if (autonomy === 'propose') {
    // The person is asked by the runner (it holds the notifier; this may run in `steward mcp`).
    const detail = `proposed: a person approves ${request.actionClass} ${request.target}`;
    return done(record('proposed', detail), 'proposed', detail);
  }
  const id = record('running', 'pre-flight');
  return done(id, ...(await executeWithinLimits(env, id, request)));
}

/**
 * Runs an allowed action under the rate limit, through the executor, and closes its record. Also
 * the path of a proposal a person approved (policy is checked again before it).
 */
export async function executeWithinLimits(env: SessionEnvironment, id: number, request: ActionRequest): Promise<[SessionActionOutcome['status'], string, boolean]> {
  const hourAgo = new Date((env.now?.() ?? new Date()).getTime() - 3_600_000);
  // The action's own record already counts as running: more than the limit means others ran.
  if (env.store.executedSince(request.actionClass, hourAgo) > env.config.agent.actionsPerHour) {
    const detail = `rate limit: ${env.config.agent.actionsPerHour} ${request.actionClass} action(s) an hour already ran; escalated instead`;
    env.store.updateAction(id, 'refused', detail);
    return ['refused', detail, true];
  }
  const result = await executeAction(env, request).catch((error: unknown) => ({ status: 'failed' as const, detail: `executor: ${error instanceof Error ? error.message : String(error)}` }));
  const detail = env.redactor.redact(result.detail);
  // Held: nothing was done and a person must decide; recorded as refused, and the session escalates.
  const status = result.status === 'held' ? 'refused' : result.status;
  env.store.updateAction(id, status, result.status === 'held' ? `held: ${detail}` : detail);
  return [status, result.status === 'held' ? `held: ${detail}` : detail, result.status !== 'succeeded'];
}
