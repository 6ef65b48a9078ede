// The diagnosis at the rollout's failure point: the first host that failed (already rolled back
// by the executor) is diagnosed; an allowed strategy runs through the deploy machinery itself
// (activateHost, rebootPending, rolloutHosts: guard, write-ahead records, quorum checks); when it
// verifies, the hosts the failure had stopped are rolled out as usual. Anything else stays a
// failure, now with its diagnosis, and escalates.
import type { StewardConfig } from '../config/schema.js';
import type { DiagnosisDecision } from '../model/deploy-failure.js';
import type { Label } from '../model/label.js';
import type { HostSystem } from '../ports/host.js';
import { activateHost } from '../stages/deploy/activate-host.js';
import type { DeployContext } from '../stages/deploy/context.js';
import { rebootPending } from '../stages/deploy/reboot-hosts.js';
import { describeWindows, inRebootWindow } from '../stages/deploy/reboot-window.js';
import { rolloutHosts, type RolloutResult } from '../stages/deploy/rollout-hosts.js';
import type { CheckResult, TargetRecord } from '../stages/record/deploy-record.js';
import type { FailedStep } from '../stages/diagnose/failed-step.js';
import { MAX_RETRY_WAIT_SECONDS } from '../stages/diagnose/validate-strategy.js';
import { checkQuorum, type ClusterDeps } from '../stages/verify/quorum.js';
import { executeStrategy, type StrategyStep } from './diagnose-execute.js';
import { diagnoseFailure, type DiagnoseDeps } from './diagnose-failure.js';

type RolloutInput = Parameters<typeof rolloutHosts>[1];
type HostTarget = RolloutInput['hosts'][number];

export interface RolloutRecoveryDeps {
  ctx: DeployContext;
  diagnose: DiagnoseDeps;
  config: StewardConfig;
  cluster: ClusterDeps;
  hostFor(host: string): HostSystem | null;
  invariantsOn(host: string): Promise<CheckResult[]>;
  /** A unit's recent error journal lines on a host (empty when the host cannot say). */
  journalFor?(host: string, unit: string): Promise<string[]>;
  /** Waits before a retry (tests pass a recorder). */
  wait(ms: number): Promise<void>;
}

export interface RolloutRecovery {
  result: RolloutResult;
  decisions: DiagnosisDecision[];
}

export async function recoverRollout(deps: RolloutRecoveryDeps, input: RolloutInput & { label: Label }, rollout: RolloutResult): Promise<RolloutRecovery> {
  const failed = rollout.outcomes.find((o) => o.failed);
  if (!failed) return { result: rollout, decisions: [] };
  const target = input.hosts.find((h) => h.host === failed.record.name);
  const prepared = input.prepared.get(failed.record.name);
  if (!target || !prepared) return { result: rollout, decisions: [] };
  const { ctx, config } = deps;
  const notStarted = input.hosts.filter((h) => rollout.records.some((r) => r.name === h.host && r.result === 'skipped'));
  const step = await withJournal(deps, failed.failure ?? { step: 'activation', host: target.host, action: target.activation, exitCode: null, timedOut: false, output: failed.record.message, failedUnits: [] });
  const reboot = config.deploy.reboot;
  const windowOpen = inRebootWindow(reboot.windows, reboot.timeZone, ctx.now());
  const windowText = describeWindows(reboot.windows, reboot.timeZone);
  const quorum = await checkQuorum(deps.cluster);
  const diagnosis = await diagnoseFailure(deps.diagnose, {
    runId: ctx.runId,
    sha: input.sha,
    step,
    context: { pendingHosts: notStarted.map((h) => h.host), aliases: aliasesOf(config) },
    policy: { label: input.label, rebootWindowOpen: windowOpen, rebootWindowText: windowText, hostReboot: target.reboot, quorumMember: target.quorum, quorumWhole: quorum.length ? quorum.every((c) => c.ok) : null, rebootsInFlight: [], maxWaitSeconds: MAX_RETRY_WAIT_SECONDS },
  });
  const produced: TargetRecord[] = [];
  let deployedBefore: string[] = [];
  const activateAgain = async (t: HostTarget): Promise<StrategyStep> => {
    const outcome = await activateHost(ctx, { target: t, system: prepared.system, sha: input.sha, previous: prepared.previous, baselineFailed: prepared.baselineFailed, invariants: () => deps.invariantsOn(t.host) });
    produced.push(outcome.record);
    return { ok: !outcome.failed, detail: outcome.record.message };
  };
  const decision = await executeStrategy(
    {
      store: deps.diagnose.store,
      logger: ctx.logger,
      machinery: {
        wait: deps.wait,
        redeploy: () => activateAgain(target),
        bootAndReboot: async () => {
          const booted = await activateAgain({ ...target, activation: 'boot', label: 'needs-reboot' });
          if (!booted.ok) return booted;
          ctx.store.setPendingReboot({ host: target.host, toplevel: target.toplevel, previous: prepared.previous, sha: input.sha });
          const pending = ctx.store.pendingReboots().filter((p) => p.host === target.host);
          const rebooted = await rebootPending({ ctx, cluster: deps.cluster, hostFor: deps.hostFor, rolesOf: (h) => config.hosts[h]?.roles ?? [], policyOf: () => 'auto', windowOpen, windowText }, pending);
          produced.push(...rebooted.records);
          const last = rebooted.records.at(-1);
          return { ok: last?.result === 'verified', detail: last?.message ?? 'no reboot happened' };
        },
        deployInOrder: async (hosts) => {
          const first = hosts.filter((h) => h !== target.host).map((h) => input.hosts.find((t) => t.host === h)).filter((t): t is HostTarget => t !== undefined);
          const before = await rolloutHosts({ ctx, cluster: deps.cluster, invariantsOn: deps.invariantsOn }, { sha: input.sha, hosts: first, prepared: input.prepared });
          produced.push(...before.records);
          deployedBefore = first.map((t) => t.host);
          if (before.failed) return { ok: false, detail: `${first.map((t) => t.host).join(', ')} failed first` };
          return activateAgain(target);
        },
      },
    },
    diagnosis,
    input.sha,
  );
  if (decision.outcome !== 'verified') {
    return { result: { ...rollout, records: [...rollout.records, ...produced] }, decisions: [decision] };
  }
  // Resolved: the hosts the failure had stopped roll out as usual (and may fail on their own).
  // The failed attempt stays in `history` (written when it ended); the record shows what now runs.
  const rest = notStarted.filter((h) => !deployedBefore.includes(h.host));
  const continued = rest.length ? await rolloutHosts({ ctx, cluster: deps.cluster, invariantsOn: deps.invariantsOn }, { sha: input.sha, hosts: rest, prepared: input.prepared }) : { records: [], outcomes: [], failed: false, bad: false };
  const untouched = rollout.records.filter((r) => r !== failed.record && !(r.result === 'skipped' && notStarted.some((h) => h.host === r.name)));
  // Another host of the same batch that failed (and was rolled back) still fails the commit: only
  // the diagnosed host was retried.
  const others = rollout.outcomes.filter((o) => o !== failed);
  return {
    result: { records: [...untouched, ...produced, ...continued.records], outcomes: [...others, ...continued.outcomes], failed: continued.failed || others.some((o) => o.failed), bad: continued.bad || others.some((o) => o.bad) },
    decisions: [decision],
  };
}

/** The failed units' journal lines, read now (the journal outlives the rollback). */
async function withJournal(deps: RolloutRecoveryDeps, step: FailedStep): Promise<FailedStep> {
  if (!deps.journalFor || (step.step !== 'activation' && step.step !== 'verification')) return step;
  const failedUnits = await Promise.all(step.failedUnits.map(async (u) => ({ unit: u.unit, journal: u.journal.length ? u.journal : await deps.journalFor!(step.host, u.unit).catch(() => []) })));
  return { ...step, failedUnits };
}

/** A host's SSH target names it in logs too (`root@nas.home.arpa` -> `nas.home.arpa`). */
function aliasesOf(config: StewardConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, host] of Object.entries(config.hosts)) {
    const where = host.target?.replace(/^ssh:\/\//, '').replace(/^[^@]*@/, '').replace(/:\d+$/, '');
    if (where && where !== 'local' && where !== name) out[name] = [where];
  }
  return out;
}
