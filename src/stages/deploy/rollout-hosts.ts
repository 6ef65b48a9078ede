// Rolls the activation out host by host (or by configured batch), quorum members strictly one at
// a time with a Consul/Nomad quorum check before and after each. The first failure stops the
// rollout: the hosts after it are not touched.
import type { HostSystem } from '../../ports/host.js';
import type { CheckResult, TargetRecord } from '../../model/deploy-record.js';
import { waitForQuorum, type ClusterDeps } from '../verify/quorum.js';
import { activateHost, type HostOutcome } from './activate-host.js';
import type { DeployContext } from './context.js';
import { planWaves, type HostTarget } from './plan-targets.js';

export interface PreparedHost {
  system: HostSystem;
  previous: string;
  baselineFailed: string[];
}

export interface RolloutDeps {
  ctx: DeployContext;
  cluster: ClusterDeps;
  invariantsOn: (host: string) => Promise<CheckResult[]>;
}

export interface RolloutResult {
  records: TargetRecord[];
  outcomes: HostOutcome[];
  failed: boolean;
  /** A failed switch: the commit is bad. */
  bad: boolean;
}

const notStarted = (h: HostTarget, why: string): TargetRecord => ({
  kind: 'host',
  name: h.host,
  result: 'skipped',
  action: 'none',
  from: null,
  to: h.toplevel,
  message: `not started: ${why}`,
  pendingReboot: false,
  verification: [],
  durationMs: 0,
});

export async function rolloutHosts(deps: RolloutDeps, input: { sha: string; hosts: HostTarget[]; prepared: Map<string, PreparedHost> }): Promise<RolloutResult> {
  const { ctx } = deps;
  const result: RolloutResult = { records: [], outcomes: [], failed: false, bad: false };
  let stoppedBy = '';
  const quorumWait = { timeoutMs: ctx.settings.quorumTimeoutMs, pollMs: Math.max(ctx.settings.pollMs, 250) };
  for (const wave of planWaves(input.hosts)) {
    if (result.failed) {
      result.records.push(...wave.map((h) => notStarted(h, stoppedBy)));
      continue;
    }
    if (wave.some((h) => h.quorum)) {
      const before = await waitForQuorum(deps.cluster, quorumWait);
      if (before.some((c) => !c.ok)) {
        stoppedBy = `the cluster's quorum is not whole (${before.filter((c) => !c.ok).map((c) => c.detail).join('; ')})`;
        result.failed = true;
        result.records.push(...wave.map((h) => ({ ...notStarted(h, stoppedBy), result: 'failed' as const, verification: before })));
        continue;
      }
    }
    const outcomes = await Promise.all(
      wave.map((target) => {
        const prepared = input.prepared.get(target.host) as PreparedHost;
        return activateHost(ctx, { target, system: prepared.system, sha: input.sha, previous: prepared.previous, baselineFailed: prepared.baselineFailed, invariants: () => deps.invariantsOn(target.host) });
      }),
    );
    for (const outcome of outcomes) {
      result.outcomes.push(outcome);
      result.records.push(outcome.record);
      if (outcome.pendingReboot) {
        const prepared = input.prepared.get(outcome.record.name) as PreparedHost;
        ctx.store.setPendingReboot({ host: outcome.record.name, toplevel: outcome.record.to as string, previous: prepared.previous, sha: input.sha });
      }
    }
    const failedHere = outcomes.filter((o) => o.failed);
    if (failedHere.length > 0) {
      result.failed = true;
      result.bad ||= failedHere.some((o) => o.bad);
      stoppedBy = `${failedHere.map((o) => o.record.name).join(', ')} failed`;
      continue;
    }
    if (wave.some((h) => h.quorum)) {
      const after = await waitForQuorum(deps.cluster, quorumWait);
      if (after.some((c) => !c.ok)) {
        result.failed = true;
        stoppedBy = `the quorum did not recover after ${wave.map((h) => h.host).join(', ')} (${after.filter((c) => !c.ok).map((c) => c.detail).join('; ')})`;
        const last = result.records[result.records.length - 1] as TargetRecord;
        last.verification.push(...after);
      }
    }
  }
  return result;
}
