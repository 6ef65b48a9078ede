// What the simulator's scheduler would do with a submitted job: per group Place / Stop /
// InPlaceUpdate / DestructiveUpdate / Canary / Ignore, decided the way Nomad's reconciler decides
// (its `tasksUpdated`): driver, config, env, meta, resources, templates, artifacts, volumes and
// networks force a replacement; services, tags, checks, constraints, update and count do not.
import type { Body } from './hcl-values.js';
import { deepEqual, diffJob, type JobDiff, type TaskDiff } from './plan-diff.js';

const DESTRUCTIVE_TASK_KEYS = ['Driver', 'User', 'Config', 'Env', 'Meta', 'Resources', 'Templates', 'Artifacts', 'Vault', 'Lifecycle', 'LogConfig', 'VolumeMounts', 'CSIPluginConfig'];
const DESTRUCTIVE_GROUP_KEYS = ['Networks', 'Volumes', 'EphemeralDisk', 'Meta', 'Consul'];

export interface GroupChange {
  name: string;
  /** The count the group will run. */
  count: number;
  /** Allocations of this group that run now. */
  existing: number;
  place: number;
  stop: number;
  inPlace: number;
  destructive: number;
  canary: number;
  ignore: number;
}

export interface JobChangePlan {
  diff: JobDiff;
  /** False when the submitted job equals the registered one: no new version, nothing to do. */
  specChanged: boolean;
  groups: GroupChange[];
}

export interface DesiredUpdates {
  Place: number;
  Stop: number;
  Migrate: number;
  InPlaceUpdate: number;
  DestructiveUpdate: number;
  Canary: number;
  Ignore: number;
  Preemptions: number;
}

/**
 * `existing` counts the running allocations per group; `countFor` gives a group's target count
 * (a system job's is the number of eligible nodes).
 */
export function planJobChange(old: Body | undefined, next: Body, existing: Record<string, number>, countFor: (group: Body) => number): JobChangePlan {
  const diff = diffJob(old, next, (group, task) => annotateTask(old, next, group, task));
  const specChanged = !old || diff.Type !== 'None';
  const oldGroups = new Map(groupsOf(old).map((g) => [String(g.Name), g]));
  const groups: GroupChange[] = [];
  for (const name of new Set([...oldGroups.keys(), ...groupsOf(next).map((g) => String(g.Name))])) {
    const newGroup = groupsOf(next).find((g) => g.Name === name);
    const running = existing[name] ?? 0;
    const count = newGroup ? countFor(newGroup) : 0;
    const keep = Math.min(running, count);
    const change: GroupChange = { name, count, existing: running, place: Math.max(0, count - running), stop: Math.max(0, running - count), inPlace: 0, destructive: 0, canary: 0, ignore: 0 };
    if (!specChanged || !oldGroups.has(name) || !newGroup) change.ignore = specChanged ? 0 : keep;
    else if (groupIsDestructive(old!, next, name)) {
      const canaries = Number((newGroup.Update as Body | undefined)?.Canary ?? 0);
      // With canaries Nomad places them first and leaves the old allocations until promotion.
      if (canaries > 0) Object.assign(change, { canary: Math.min(canaries, count), ignore: keep });
      else change.destructive = keep;
    } else change.inPlace = keep;
    groups.push(change);
  }
  groups.sort((a, b) => a.name.localeCompare(b.name));
  for (const g of diff.TaskGroups) g.Updates = updatesMap(groups.find((c) => c.name === g.Name));
  return { diff, specChanged, groups };
}

export function desiredUpdates(change: GroupChange): DesiredUpdates {
  return { Place: change.place, Stop: change.stop, Migrate: 0, InPlaceUpdate: change.inPlace, DestructiveUpdate: change.destructive, Canary: change.canary, Ignore: change.ignore, Preemptions: 0 };
}

function updatesMap(change: GroupChange | undefined): Record<string, number> {
  if (!change) return {};
  const entries: Array<[string, number]> = [
    ['create', change.place],
    ['destroy', change.stop],
    ['in-place update', change.inPlace],
    ['create/destroy update', change.destructive],
    ['canary', change.canary],
    ['ignore', change.ignore],
  ];
  return Object.fromEntries(entries.filter(([, n]) => n > 0));
}

function groupIsDestructive(old: Body, next: Body, name: string): boolean {
  if (!deepEqual(old.Meta, next.Meta)) return true;
  const a = groupsOf(old).find((g) => g.Name === name)!;
  const b = groupsOf(next).find((g) => g.Name === name)!;
  if (DESTRUCTIVE_GROUP_KEYS.some((k) => !deepEqual(a[k], b[k]))) return true;
  const tasksA = tasksOf(a);
  const tasksB = tasksOf(b);
  if (tasksA.length !== tasksB.length) return true;
  return tasksB.some((t) => {
    const before = tasksA.find((x) => x.Name === t.Name);
    return !before || taskIsDestructive(before, t);
  });
}

function taskIsDestructive(a: Body, b: Body): boolean {
  return DESTRUCTIVE_TASK_KEYS.some((k) => !deepEqual(a[k], b[k]));
}

function annotateTask(old: Body | undefined, next: Body, group: string, task: TaskDiff): string[] {
  if (task.Type === 'Added') return ['forces create'];
  if (task.Type === 'Deleted') return ['forces destroy'];
  if (task.Type === 'None' || !old) return [];
  const a = tasksOf(groupsOf(old).find((g) => g.Name === group)).find((t) => t.Name === task.Name);
  const b = tasksOf(groupsOf(next).find((g) => g.Name === group)).find((t) => t.Name === task.Name);
  return [a && b && !taskIsDestructive(a, b) ? 'forces in-place update' : 'forces create/destroy update'];
}

export function groupsOf(job: Body | undefined): Body[] {
  return Array.isArray(job?.TaskGroups) ? (job.TaskGroups as Body[]) : [];
}

export function tasksOf(group: Body | undefined): Body[] {
  return Array.isArray(group?.Tasks) ? (group.Tasks as Body[]) : [];
}
