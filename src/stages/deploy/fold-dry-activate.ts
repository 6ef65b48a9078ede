// Folds the unit plan that `switch-to-configuration dry-activate` printed ON the host into the
// host's ChangeSet (pure). The host may run something other than the base commit (drift, a manual
// deploy): its own plan is the truth. The fold only ever adds or sharpens what a switch does;
// the classification of the folded ChangeSet can only raise the label, never lower it.
import type { HostChange, MountChange, UnitChange } from '../../model/host-change.js';
import type { SwitchPlan } from '../../ports/host.js';

const FROM_HOST = 'as dry-activate on the host reports it';

export function foldDryActivate(change: HostChange, plan: SwitchPlan, isCritical: (unit: string) => boolean): HostChange {
  const units = new Map<string, UnitChange>(change.units.map((u) => [u.unit, { ...u }]));
  for (const [unit, action] of unitActions(plan)) {
    const known = units.get(unit);
    if (known) {
      if (known.action !== action) units.set(unit, { ...known, action, why: `${known.why}; ${action} ${FROM_HOST}` });
      continue;
    }
    units.set(unit, {
      unit,
      change: action === 'start' ? 'added' : action === 'stop' ? 'removed' : 'changed',
      action,
      critical: isCritical(unit),
      why: `${action} ${FROM_HOST} (not in the commit's diff: the host runs something else)`,
      stateful: false,
      changedKeys: [],
    });
  }
  const boot = { ...change.boot };
  if (plan.restartSystemd && !boot.systemd) boot.systemd = { from: 'running systemd', to: 'would restart systemd (dry-activate on the host)' };
  const mounts = [...change.mounts];
  for (const device of plan.swapStop) {
    if (mounts.some((m) => m.swap && m.mountPoint === device)) continue;
    const swap: MountChange = { mountPoint: device, unit: '', change: 'removed', fsType: 'swap', network: false, swap: true, from: device, to: null };
    mounts.push(swap);
  }
  return { ...change, units: [...units.values()].sort((a, b) => a.unit.localeCompare(b.unit)), boot, mounts };
}

/**
 * What the plan does to each unit, in the ChangeSet's vocabulary. A service with the default
 * stop-if-changed behaviour is listed as stopped AND started: that is a restart.
 */
export function unitActions(plan: SwitchPlan): Map<string, 'start' | 'stop' | 'restart' | 'reload' | 'skip'> {
  const actions = new Map<string, 'start' | 'stop' | 'restart' | 'reload' | 'skip'>();
  const started = new Set(plan.start);
  for (const unit of plan.stop) actions.set(unit, started.has(unit) ? 'restart' : 'stop');
  for (const unit of plan.start) if (!actions.has(unit)) actions.set(unit, 'start');
  for (const unit of plan.restart) actions.set(unit, 'restart');
  for (const unit of plan.reload) if (!actions.has(unit)) actions.set(unit, 'reload');
  for (const unit of plan.skip) actions.set(unit, 'skip');
  return actions;
}
