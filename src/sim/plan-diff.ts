// The simulator's job diff, in the shape of Nomad's plan `Diff` (JobDiff > TaskGroupDiff >
// TaskDiff, each with Fields and nested Objects), computed from a real comparison of two jobs.
// Naming follows Nomad: `Meta[key]`, `Env[KEY]`, set diffs named after the set, Config flattened.
import { isBody, type Body } from './hcl-values.js';

export type DiffType = 'Added' | 'Deleted' | 'Edited' | 'None';
export interface FieldDiff {
  Type: DiffType;
  Name: string;
  Old: string;
  New: string;
}
export interface ObjectDiff {
  Type: DiffType;
  Name: string;
  Fields: FieldDiff[];
  Objects: ObjectDiff[];
}
export interface TaskDiff extends ObjectDiff {
  Annotations: string[];
}
export interface TaskGroupDiff extends ObjectDiff {
  Tasks: TaskDiff[];
  Updates: Record<string, number>;
}
export interface JobDiff {
  Type: DiffType;
  ID: string;
  Fields: FieldDiff[];
  Objects: ObjectDiff[];
  TaskGroups: TaskGroupDiff[];
}

/** Server-managed job fields that are never part of a diff. */
const JOB_SKIP = new Set(['ID', 'Status', 'StatusDescription', 'Version', 'Stable', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'SubmitTime', 'TaskGroups', 'Stop']);
/** String maps Nomad diffs key by key (`Meta[owner]`). */
const MAPS = new Set(['Meta', 'Env', 'GetterOptions', 'CanaryMeta', 'TaggedAddresses']);
const SINGULAR: Record<string, string> = {
  Services: 'Service',
  Checks: 'Check',
  Templates: 'Template',
  Constraints: 'Constraint',
  Affinities: 'Affinity',
  Spreads: 'Spread',
  Networks: 'Network',
  Artifacts: 'Artifact',
  VolumeMounts: 'VolumeMount',
  DynamicPorts: 'Dynamic Port',
  ReservedPorts: 'Static Port',
  Volumes: 'Volume',
  SpreadTarget: 'SpreadTarget',
};

export function typeOf(old: unknown, next: unknown): DiffType {
  if (old === undefined && next === undefined) return 'None';
  if (old === undefined) return 'Added';
  if (next === undefined) return 'Deleted';
  return deepEqual(old, next) ? 'None' : 'Edited';
}

export function diffJob(old: Body | undefined, next: Body | undefined, taskAnnotation: (group: string, task: TaskDiff) => string[]): JobDiff {
  const { Fields, Objects } = diffBody(old, next, JOB_SKIP);
  const groupsOld = byName(old?.TaskGroups);
  const groupsNew = byName(next?.TaskGroups);
  const TaskGroups = union(groupsOld, groupsNew).map((name) => {
    const g = diffBody(groupsOld.get(name), groupsNew.get(name), new Set(['Name', 'Tasks']));
    const tasksOld = byName(groupsOld.get(name)?.Tasks);
    const tasksNew = byName(groupsNew.get(name)?.Tasks);
    const Tasks = union(tasksOld, tasksNew)
      .map((taskName) => {
        const t = diffBody(tasksOld.get(taskName), tasksNew.get(taskName), new Set(['Name']));
        const task: TaskDiff = { Type: typeOf(tasksOld.get(taskName), tasksNew.get(taskName)), Name: taskName, ...t, Annotations: [] };
        task.Annotations = taskAnnotation(name, task);
        return task;
      });
    return { Type: typeOf(groupsOld.get(name), groupsNew.get(name)), Name: name, ...g, Tasks, Updates: {} };
  });
  return { Type: typeOf(stripServerFields(old), stripServerFields(next)), ID: String(next?.ID ?? old?.ID ?? ''), Fields, Objects, TaskGroups };
}

function diffBody(old: Body | undefined, next: Body | undefined, skip: Set<string>): { Fields: FieldDiff[]; Objects: ObjectDiff[] } {
  const Fields: FieldDiff[] = [];
  const Objects: ObjectDiff[] = [];
  const keys = [...new Set([...Object.keys(old ?? {}), ...Object.keys(next ?? {})])].filter((k) => !skip.has(k)).sort();
  for (const key of keys) {
    const a = old?.[key];
    const b = next?.[key];
    const type = typeOf(a, b);
    if (type === 'None') continue;
    const sample = b ?? a;
    const items = [...(Array.isArray(a) ? a : []), ...(Array.isArray(b) ? b : [])];
    if (key === 'Config' && (isBody(a) || isBody(b))) {
      Objects.push({ Type: type, Name: 'Config', Fields: diffFlat(flatten(a), flatten(b)), Objects: [] });
    } else if (MAPS.has(key) && (isBody(a) || isBody(b))) {
      Fields.push(...diffFlat(a as Record<string, unknown> | undefined, b as Record<string, unknown> | undefined, key));
    } else if (Array.isArray(sample) && items.every((v) => !isBody(v))) {
      Objects.push({ Type: type, Name: key, Fields: diffSet((a as unknown[]) ?? [], (b as unknown[]) ?? [], key), Objects: [] });
    } else if (Array.isArray(sample)) {
      Objects.push(...diffList(key, (a as Body[]) ?? [], (b as Body[]) ?? []));
    } else if (key === 'Volumes' && (isBody(a) || isBody(b))) {
      Objects.push(...diffList(key, Object.values((a as Record<string, Body>) ?? {}), Object.values((b as Record<string, Body>) ?? {})));
    } else if (isBody(sample)) {
      Objects.push({ Type: type, Name: key, ...diffBody(a as Body | undefined, b as Body | undefined, new Set()) });
    } else {
      Fields.push({ Type: type, Name: key, Old: render(a), New: render(b) });
    }
  }
  return { Fields, Objects };
}

/** Lists of structs match by Name or Label (else by position), as Nomad matches services by name. */
function diffList(key: string, old: Body[], next: Body[]): ObjectDiff[] {
  const keyOf = (item: Body, i: number) => String(item.Name ?? item.Label ?? `#${i}`);
  const a = new Map(old.map((item, i) => [keyOf(item, i), item]));
  const b = new Map(next.map((item, i) => [keyOf(item, i), item]));
  const out: ObjectDiff[] = [];
  for (const name of union(a, b)) {
    const type = typeOf(a.get(name), b.get(name));
    if (type !== 'None') out.push({ Type: type, Name: SINGULAR[key] ?? key, ...diffBody(a.get(name), b.get(name), new Set()) });
  }
  return out;
}

function diffSet(old: unknown[], next: unknown[], name: string): FieldDiff[] {
  const a = new Set(old.map(render));
  const b = new Set(next.map(render));
  return [
    ...[...a].filter((v) => !b.has(v)).map((v): FieldDiff => ({ Type: 'Deleted', Name: name, Old: v, New: '' })),
    ...[...b].filter((v) => !a.has(v)).map((v): FieldDiff => ({ Type: 'Added', Name: name, Old: '', New: v })),
  ];
}

function diffFlat(old: Record<string, unknown> | undefined, next: Record<string, unknown> | undefined, mapName?: string): FieldDiff[] {
  const keys = [...new Set([...Object.keys(old ?? {}), ...Object.keys(next ?? {})])].sort();
  return keys
    .map((k): FieldDiff => ({ Type: typeOf(old?.[k], next?.[k]), Name: mapName ? `${mapName}[${k}]` : k, Old: render(old?.[k]), New: render(next?.[k]) }))
    .filter((f) => f.Type !== 'None');
}

/** Nomad's flatmap: nested maps and lists become `mount[0].source` keys. */
function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else if (isBody(value)) for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  else if (prefix) out[prefix] = value;
  return out;
}

function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function byName(list: unknown): Map<string, Body> {
  return new Map((Array.isArray(list) ? list.filter(isBody) : []).map((item) => [String(item.Name), item]));
}

function union<K>(a: Map<K, unknown>, b: Map<K, unknown>): K[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort();
}

function stripServerFields(job: Body | undefined): Body | undefined {
  return job && Object.fromEntries(Object.entries(job).filter(([k]) => !JOB_SKIP.has(k) || k === 'TaskGroups'));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isBody(a) && isBody(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    return keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}
