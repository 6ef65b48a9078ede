// Steward's executor for the agent's fixed set of actions: pre-flight, the action, verification.
// Only reached after policy, autonomy and the rate limit allowed it (request-action.ts).
import { redeployHead, rollbackHost } from './deploy-actions.js';
import type { SessionEnvironment } from './environment.js';
import { parseAllocTarget, parseUnitTarget, type ActionRequest } from './policy.js';

export interface ExecutionResult {
  /** `held`: not done, a person decides (the deploy's gate held it, or it would reach further than asked). */
  status: 'succeeded' | 'failed' | 'held' | 'rolled-back';
  detail: string;
}

const STEP_TIMEOUT_MS = 60_000;

export async function executeAction(env: SessionEnvironment, request: ActionRequest): Promise<ExecutionResult> {
  switch (request.actionClass) {
    case 'restart-unit':
      return restartUnit(env, request.target);
    case 'restart-alloc': {
      const target = parseAllocTarget(request.target)!;
      return restartAllocs(env, target.job, (id) => id.startsWith(target.alloc));
    }
    case 'restart-job':
      return restartAllocs(env, request.target, () => true);
    case 'rollback-host':
      return rollbackHost(env, request.target);
    case 'redeploy-head':
      return redeployHead(env);
  }
}

async function restartUnit(env: SessionEnvironment, target: string): Promise<ExecutionResult> {
  const { host, unit } = parseUnitTarget(target)!;
  const diagnostics = env.diagnosticsFor(host);
  if (!diagnostics) return { status: 'failed', detail: `pre-flight: no transport to ${host}` };
  // Pre-flight: the host answers over a new connection, and the unit really is failed there.
  const before = await diagnostics.failedUnits(STEP_TIMEOUT_MS).catch((e: unknown) => e as Error);
  if (before instanceof Error) return { status: 'failed', detail: `pre-flight: ${host} does not answer: ${before.message}` };
  if (!before.includes(unit)) return { status: 'failed', detail: `pre-flight: ${unit} is not failed on ${host}; nothing restarted` };
  const restart = await diagnostics.restartUnit(unit, STEP_TIMEOUT_MS);
  // Verification: active, and no longer among the failed units.
  const after = await diagnostics.failedUnits(STEP_TIMEOUT_MS).catch(() => null);
  if (restart.ok && restart.active && after && !after.includes(unit)) return { status: 'succeeded', detail: `restarted ${unit} on ${host}; it is active and no longer failed` };
  return { status: 'failed', detail: `restart of ${unit} on ${host} did not take: ${restart.output.trim().slice(0, 300) || 'no output'}` };
}

async function restartAllocs(env: SessionEnvironment, job: string, pick: (allocId: string) => boolean): Promise<ExecutionResult> {
  const nomad = env.nomad;
  if (!nomad?.stopAllocation) return { status: 'failed', detail: 'this Nomad client cannot restart allocations' };
  if (!(await nomad.leader().catch(() => null))) return { status: 'failed', detail: 'pre-flight: Nomad has no leader' };
  const allocs = (await nomad.jobAllocations(job)).value.filter((a) => a.desiredStatus === 'run' && pick(a.id));
  if (!allocs.length) return { status: 'failed', detail: `pre-flight: no running allocation of ${job} matches` };
  // One at a time: the job keeps serving while each allocation is replaced. A restart is Nomad's
  // `alloc stop`: the scheduler places a replacement with the same name, which must come up running.
  for (const alloc of allocs) {
    await nomad.stopAllocation(alloc.id);
    const replacement = await waitReplaced(env, job, alloc.id, alloc.name);
    if (!replacement) return { status: 'failed', detail: `allocation ${alloc.name} of ${job} has no running replacement after its restart` };
  }
  return { status: 'succeeded', detail: `restarted ${allocs.length} allocation(s) of ${job}: ${allocs.map((a) => a.name).join(', ')}; replacements running` };
}

/** Waits (blocking queries) for a running allocation with the same name that is not the stopped one. */
async function waitReplaced(env: SessionEnvironment, job: string, stoppedId: string, name: string): Promise<string | null> {
  let index: number | undefined;
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await env.nomad!.jobAllocations(job, { ...(index !== undefined ? { index } : {}), waitMs: 5_000 });
    const replacement = answer.value.find((a) => a.id !== stoppedId && a.name === name && a.desiredStatus === 'run' && a.clientStatus === 'running' && a.healthy !== false);
    if (replacement) return replacement.id;
    index = answer.index;
  }
  return null;
}
