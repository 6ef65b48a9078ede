// Settles the actions an interrupted run left open (the process was killed, the machine lost
// power), from the write-ahead log and what the host says now: a switch that took effect is
// confirmed and verified (or rolled back), one that did not is undone, a guard that fired is a
// rollback. Nothing is applied twice: the normal run then skips what is already deployed.
import { HostUnreachableError, type HostSystem } from '../../ports/host.js';
import type { ActionRow } from '../../ports/deploy-store.js';
import type { TargetRecord } from '../../model/deploy-record.js';
import { verifyActivation, verifyBoot } from '../verify/verify-host.js';
import { undoBeforeSwitch } from './activate-host.js';
import type { DeployContext } from './context.js';
import { LockLostError } from './lock-guard.js';
import { awaitGuardRollback, rollbackHost, short } from './rollback-host.js';

export interface RecoveredAction {
  record: TargetRecord;
  /** The action took effect and is verified: the target's last good commit is `sha`. */
  deployed: boolean;
  /** The host still waits for a reboot after a verified boot activation. */
  pendingReboot: boolean;
  /** The host could not be settled (unreachable): the run must not go on. */
  unsettled: boolean;
  row: ActionRow;
}

export async function recoverActions(ctx: DeployContext, hostFor: (host: string) => HostSystem | null, rows: ActionRow[]): Promise<RecoveredAction[]> {
  const out: RecoveredAction[] = [];
  for (const row of rows) {
    const started = performance.now();
    const settled = row.kind === 'job' ? settleJob(row) : await settleHost(ctx, hostFor(row.target), row);
    const record: TargetRecord = { ...settled.record, message: ctx.redactor.redact(`interrupted run ${row.runId}: ${settled.record.message}`), durationMs: Math.round(performance.now() - started) };
    if (!settled.unsettled) ctx.store.finishAction(row.id, record);
    if (settled.record.result === 'rolled-back') ctx.store.markBad({ sha: row.sha, target: `${row.kind}:${row.target}`, reason: record.message });
    ctx.logger.warn(`${row.kind} ${row.target}: ${record.message}`);
    out.push({ ...settled, record, row });
  }
  return out;
}

type Settled = Omit<RecoveredAction, 'row'>;

const base = (row: ActionRow) => ({ kind: row.kind, name: row.target, action: (row.action === 'boot' || row.action === 'reboot' || row.action === 'switch' ? row.action : 'register') as TargetRecord['action'], from: row.from, to: row.to, pendingReboot: false, verification: [], durationMs: 0 });

/** A job's interruption needs nothing here: the run's fresh plan sees what Nomad has (and resumes watching it). */
function settleJob(row: ActionRow): Settled {
  if (row.action === 'stop') {
    return { record: { ...base(row), result: 'skipped', message: 'stopping was interrupted; this run stops it again (stopping is idempotent)' }, deployed: false, pendingReboot: false, unsettled: false };
  }
  const registered = row.steps.some((s) => s.step === 'registered');
  return { record: { ...base(row), result: 'skipped', message: registered ? 'registered; this run resumes watching its deployment' : 'not registered; this run plans it again' }, deployed: false, pendingReboot: false, unsettled: false };
}

async function settleHost(ctx: DeployContext, system: HostSystem | null, row: ActionRow): Promise<Settled> {
  const b = base(row);
  const fail = (message: string, unsettled = false): Settled => ({ record: { ...b, result: 'failed', message }, deployed: false, pendingReboot: false, unsettled });
  if (!system) return fail('the host is no longer configured: settle it by hand');
  if (!row.to) return fail('the action recorded no target generation');
  const steps = new Set(row.steps.map((s) => s.step));
  const guardId = typeof row.detail.guardId === 'string' ? row.detail.guardId : null;
  try {
    if (row.action === 'reboot') return await settleReboot(system, row);
    const action = row.action === 'boot' ? 'boot' : 'switch';
    if (row.detail.revert === true) {
      // A revert after failed invariants (revert-commit.ts): `to` is what ran before; finish it.
      const rollback = await rollbackHost(ctx, system, { previous: row.to, action, guardId: null });
      return { record: { ...b, result: rollback.restored ? 'rolled-back' : 'failed', message: `the revert after failed invariants was interrupted; ${rollback.detail}` }, deployed: false, pendingReboot: false, unsettled: !rollback.restored };
    }
    const guard = guardId ? await system.guardState(guardId) : 'unknown';
    if (guard === 'fired' || guard === 'rolled-back') {
      // Steward was not there to confirm: not the commit's fault, so it is deployed again (not marked bad).
      const rollback = await awaitGuardRollback(ctx, system, { previous: row.from ?? '', action, guardId });
      return { record: { ...b, result: rollback.restored ? 'skipped' : 'failed', message: `no confirmation arrived while Steward was down; ${rollback.detail}${rollback.restored ? '; this run deploys it again' : ''}` }, deployed: false, pendingReboot: false, unsettled: !rollback.restored };
    }
    const state = await system.readState();
    const applied = action === 'switch' ? state.current === row.to : state.bootDefault === row.to;
    if (applied && steps.has('switching')) {
      if (guard === 'armed' && (await system.confirmGuard(guardId as string)) !== 'confirmed') return settleHost(ctx, system, row);
      const verification = await verifyActivation(system, { action, toplevel: row.to, baselineFailed: [] });
      if (verification.ok) {
        const pendingReboot = verification.rebootRequired || action === 'boot' || row.steps.some((s) => s.step === 'verified' && s.detail.pendingReboot === true);
        return { record: { ...b, result: pendingReboot ? 'deployed' : 'verified', message: `the ${action} had taken effect: confirmed and verified`, pendingReboot, verification: verification.checks }, deployed: true, pendingReboot, unsettled: false };
      }
      const rollback = await rollbackHost(ctx, system, { previous: row.from ?? '', action, guardId: null });
      return { record: { ...b, result: rollback.restored ? 'rolled-back' : 'failed', message: `verification failed after the interruption; ${rollback.detail}`, verification: verification.checks }, deployed: false, pendingReboot: false, unsettled: false };
    }
    if (steps.has('switching') && row.from) {
      // The switch may have run halfway: return to the previous generation properly.
      const rollback = await rollbackHost(ctx, system, { previous: row.from, action, guardId });
      return { record: { ...b, result: 'skipped', message: `the ${action} did not take effect; ${rollback.detail}; this run deploys it again` }, deployed: false, pendingReboot: false, unsettled: false };
    }
    const undone = row.from ? await undoBeforeSwitch(system, { previous: row.from, guardId }) : 'nothing to undo';
    return { record: { ...b, result: 'skipped', message: `stopped before the ${action} (${undone}); this run deploys it again` }, deployed: false, pendingReboot: false, unsettled: false };
  } catch (error) {
    if (error instanceof LockLostError) throw error;
    if (error instanceof HostUnreachableError) return fail(`cannot settle: ${error.message}; it is retried on the next run`, true);
    return fail(`cannot settle: ${(error as Error).message}`, true);
  }
}

async function settleReboot(system: HostSystem, row: ActionRow): Promise<Settled> {
  const b = base(row);
  const state = await system.readState();
  if (state.bootId && state.bootId !== row.detail.bootIdBefore && state.booted === row.to) {
    const verification = await verifyBoot(system, { toplevel: row.to as string, baselineFailed: [] });
    return { record: { ...b, result: verification.ok ? 'verified' : 'failed', message: `rebooted into ${short(row.to)}${verification.ok ? ': verified' : ': verification failed'}`, verification: verification.checks }, deployed: verification.ok, pendingReboot: false, unsettled: false };
  }
  return { record: { ...b, result: 'skipped', message: 'the reboot did not happen (or not into the new generation): it stays pending' }, deployed: false, pendingReboot: true, unsettled: false };
}
