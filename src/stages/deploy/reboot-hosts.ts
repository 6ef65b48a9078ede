// Reboots hosts whose new generation waits for a boot: inside a configured window, strictly one
// host at a time, quorum members only while the cluster is whole, each verified afterwards (the
// booted kernel is the new one). Hosts a human rebooted are verified too; `manual` hosts and
// closed windows leave the reboot pending for a later run.
import type { HostSystem } from '../../ports/host.js';
import type { PendingReboot } from '../../ports/deploy-store.js';
import type { TargetRecord } from '../../model/deploy-record.js';
import { verifyBoot } from '../verify/verify-host.js';
import { waitForQuorum, type ClusterDeps } from '../verify/quorum.js';
import { checkLock, sleep, type DeployContext } from './context.js';
import { QUORUM_ROLES } from './plan-targets.js';
import { rollbackHost, short } from './rollback-host.js';

export interface RebootDeps {
  ctx: DeployContext;
  cluster: ClusterDeps;
  hostFor: (host: string) => HostSystem | null;
  rolesOf: (host: string) => string[];
  /** `auto` or `manual`, per host. */
  policyOf: (host: string) => 'auto' | 'manual';
  windowOpen: boolean;
  windowText: string;
}

export interface RebootResult {
  records: TargetRecord[];
  failed: boolean;
}

const record = (p: PendingReboot, result: TargetRecord['result'], message: string, extra: Partial<TargetRecord> = {}): TargetRecord => ({
  kind: 'host',
  name: p.host,
  result,
  action: 'reboot',
  from: p.previous,
  to: p.toplevel,
  message,
  pendingReboot: result === 'deployed',
  verification: [],
  durationMs: 0,
  ...extra,
});

export async function rebootPending(deps: RebootDeps, pending: PendingReboot[]): Promise<RebootResult> {
  const out: RebootResult = { records: [], failed: false };
  for (const p of pending) {
    const system = deps.hostFor(p.host);
    if (!system) {
      out.records.push(record(p, 'deployed', 'reboot pending: the host is no longer configured'));
      continue;
    }
    if (out.failed) {
      out.records.push(record(p, 'deployed', 'reboot pending: not started after an earlier reboot failed'));
      continue;
    }
    // Rebooted by a human (or a power cut) since: only the verification is left.
    const state = await system.readState().catch(() => null);
    if (state?.booted === p.toplevel) {
      out.records.push(await verifyOutsideReboot(deps, system, p));
      continue;
    }
    if (deps.policyOf(p.host) === 'manual') {
      out.records.push(record(p, 'deployed', `reboot required: reboots are manual for this host; the next deploy verifies it once rebooted`));
      continue;
    }
    if (!deps.windowOpen) {
      out.records.push(record(p, 'deployed', `reboot pending: outside the reboot window (${deps.windowText})`));
      continue;
    }
    const rebooted = await rebootOne(deps, system, p, state?.bootId ?? null);
    out.records.push(rebooted);
    if (rebooted.result !== 'verified') out.failed = true;
  }
  return out;
}

async function rebootOne(deps: RebootDeps, system: HostSystem, p: PendingReboot, bootIdBefore: string | null): Promise<TargetRecord> {
  const { ctx } = deps;
  const quorum = deps.rolesOf(p.host).some((r) => QUORUM_ROLES.has(r));
  const wait = { timeoutMs: ctx.settings.quorumTimeoutMs, pollMs: Math.max(ctx.settings.pollMs, 250) };
  if (quorum) {
    const before = await waitForQuorum(deps.cluster, wait);
    if (before.some((c) => !c.ok)) return record(p, 'failed', `not rebooted: the quorum is not whole (${before.filter((c) => !c.ok).map((c) => c.detail).join('; ')})`, { verification: before, pendingReboot: true });
  }
  const started = performance.now();
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'host', target: p.host, sha: p.sha, action: 'reboot', from: p.previous, to: p.toplevel, detail: { bootIdBefore } });
  ctx.logger.info(`${p.host}: rebooting into ${short(p.toplevel)}`);
  checkLock(ctx);
  await system.reboot();
  ctx.store.stepAction(actionId, 'reboot-started');
  await ctx.hooks.reached('host.reboot-started', p.host);
  const back = await waitForBoot(deps, system, bootIdBefore);
  const finish = (r: TargetRecord) => {
    const full = { ...r, durationMs: Math.round(performance.now() - started) };
    ctx.store.finishAction(actionId, full);
    return full;
  };
  if (!back) return finish(record(p, 'failed', `did not come back within ${Math.round(ctx.settings.rebootTimeoutMs / 1000)} s after the reboot`, { pendingReboot: true }));
  const verified = await verifyRebooted(deps, system, p, 'rebooted');
  if (quorum && verified.result === 'verified') {
    const after = await waitForQuorum(deps.cluster, wait);
    verified.verification.push(...after);
    if (after.some((c) => !c.ok)) return finish({ ...verified, result: 'failed', message: `${verified.message}; the quorum did not recover` });
  }
  return finish(verified);
}

/** A reboot Steward did not do is journalled like one: the history then shows the host verified, not waiting. */
async function verifyOutsideReboot(deps: RebootDeps, system: HostSystem, p: PendingReboot): Promise<TargetRecord> {
  const { ctx } = deps;
  const started = performance.now();
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'host', target: p.host, sha: p.sha, action: 'reboot', from: p.previous, to: p.toplevel, detail: { bootIdBefore: null } });
  const verified = { ...(await verifyRebooted(deps, system, p, 'rebooted outside Steward')), durationMs: Math.round(performance.now() - started) };
  ctx.store.finishAction(actionId, verified);
  return verified;
}

/** After a boot: verified, or rolled back to the previous generation (userspace; its kernel at the next boot). */
async function verifyRebooted(deps: RebootDeps, system: HostSystem, p: PendingReboot, how: string): Promise<TargetRecord> {
  const { ctx } = deps;
  const verification = await verifyBoot(system, { toplevel: p.toplevel, baselineFailed: [] });
  if (verification.ok) {
    ctx.store.clearPendingReboot(p.host);
    return record(p, 'verified', `${how} into ${short(p.toplevel)}: booted kernel and system verified`, { verification: verification.checks });
  }
  ctx.store.clearPendingReboot(p.host);
  const failed = verification.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; ');
  if (!p.previous) return record(p, 'failed', `${how}, but verification failed (${failed}); no previous generation to roll back to`, { verification: verification.checks });
  const rollback = await rollbackHost(ctx, system, { previous: p.previous, action: 'switch', guardId: null });
  ctx.store.markBad({ sha: p.sha, target: `host:${p.host}`, reason: `after the reboot: ${failed}` });
  return record(p, rollback.restored ? 'rolled-back' : 'failed', `${how}, but verification failed (${failed}); ${rollback.detail}`, { verification: verification.checks });
}

/** Polls over new connections until the host answers with a new boot id. */
async function waitForBoot(deps: RebootDeps, system: HostSystem, bootIdBefore: string | null): Promise<boolean> {
  const deadline = Date.now() + deps.ctx.settings.rebootTimeoutMs;
  while (Date.now() < deadline) {
    await sleep(deps.ctx.settings.pollMs);
    try {
      const state = await system.readState();
      if (state.bootId && state.bootId !== bootIdBefore) return true;
    } catch {
      // Still down.
    }
  }
  return false;
}
