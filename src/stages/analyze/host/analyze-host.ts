// One host's ChangeSet from its two toplevel snapshots (pure): boot signals, units with the
// action switch would take, mounts, /etc files and package versions.
import picomatch from 'picomatch';
import { emptyHostChange, type HostChange, type UnitChange } from '../../../model/host-change.js';
import type { ToplevelSnapshot } from '../../../ports/nix.js';
import { diffBoot, diffEtc } from './boot-changes.js';
import { diffFstab } from './fstab.js';
import { diffPackages } from './packages.js';
import { isStatefulUnit, planUnitChange } from './plan-unit-change.js';
import { mergeUnitFiles, parseUnitFile, type UnitFile } from './unit-file.js';

export interface HostSnapshots {
  host: string;
  roles: string[];
  base: ToplevelSnapshot;
  head: ToplevelSnapshot;
  /** Contents of every unit file or drop-in that differs between the snapshots. */
  files: Record<string, string | null>;
  closures: { base: string[]; head: string[] } | null;
}

export function analyzeHost(input: HostSnapshots, criticalUnits: string[]): HostChange {
  const change = emptyHostChange(input.host, input.roles, 'changed');
  change.toplevel = { base: input.base.path, head: input.head.path };
  change.boot = diffBoot(input.base, input.head);
  change.units = diffUnits(input, picomatch(criticalUnits));
  change.mounts = diffFstab(input.base.fstab, input.head.fstab);
  change.etc = diffEtc(input.base.etc, input.head.etc);
  change.packages = input.closures ? diffPackages(input.closures.base, input.closures.head) : [];
  change.revisionOnly =
    Object.keys(change.boot).length === 0 && change.units.length === 0 && change.mounts.length === 0 && change.etc.length === 0 && change.packages.length === 0;
  return change;
}

/** Unit files (and drop-ins) whose store paths differ: the only ones whose contents we read. */
export function changedUnitFiles(base: ToplevelSnapshot, head: ToplevelSnapshot): string[] {
  const files = new Set<string>();
  for (const unit of new Set([...Object.keys(base.units), ...Object.keys(head.units)])) {
    const a = base.units[unit] ?? [];
    const b = head.units[unit] ?? [];
    if (a.join('\n') === b.join('\n')) continue;
    for (const file of [...a, ...b]) if (file) files.add(file);
  }
  return [...files];
}

function diffUnits(input: HostSnapshots, isCritical: (unit: string) => boolean): UnitChange[] {
  const load = (paths: string[] | undefined): UnitFile | null => {
    if (!paths) return null;
    const texts = paths.filter(Boolean).map((p) => input.files[p]);
    if (texts.some((t) => t === null || t === undefined)) return null;
    return mergeUnitFiles((texts as string[]).map(parseUnitFile));
  };
  const changes: UnitChange[] = [];
  for (const unit of [...new Set([...Object.keys(input.base.units), ...Object.keys(input.head.units)])].sort()) {
    const a = input.base.units[unit];
    const b = input.head.units[unit];
    if (a && b && a.join('\n') === b.join('\n')) continue;
    const before = load(a);
    const after = load(b);
    const plan = planUnitChange(unit, a ? (before ?? new Map()) : null, b ? (after ?? new Map()) : null);
    if (a && b && plan.action === 'none' && plan.changedKeys.length === 0) continue; // identical content
    changes.push({
      unit,
      change: !a ? 'added' : !b ? 'removed' : 'changed',
      action: plan.action,
      critical: isCritical(unit),
      why: plan.why,
      stateful: isStatefulUnit(unit, after ?? before),
      changedKeys: plan.changedKeys,
    });
  }
  return changes;
}
