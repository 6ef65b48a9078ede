// The job ChangeSet: compares the normalised jobs at base and head (keyed by namespace and ID,
// so a moved file is not a change) and says what changed, part by part. Pure.
import { emptyJobChange, type CountChange, type GroupChange, type ImageChange, type JobChange, type ResourceChange, type UpdateChange } from '../../../model/job-change.js';
import type { Group, NomadJob, Task } from '../../../model/nomad-job.js';
import { compareImages } from './compare-image-tags.js';
import { diffPorts, diffRoutes, diffServices, diffVolumes, pairBy } from './diff-job-parts.js';
import { isUnresolved } from './hcl-expressions.js';
import { groupStatefulness, isDatabaseImage, jobStatefulness, taskStatefulness } from './job-statefulness.js';
import { updateFields } from './normalise-stanzas.js';
import { stableJson } from '../../../json.js';
import { isBody } from './raw-hcl.js';
import { authMiddlewaresDefinedIn, type RouteOptions } from './traefik-routes.js';

export type DiffOptions = RouteOptions;

export function jobKey(job: NomadJob): string {
  return `${job.namespace}/${job.id}`;
}

export function diffJobs(base: NomadJob[], head: NomadJob[], options: DiffOptions = {}): JobChange[] {
  const definedAuth = authMiddlewaresDefinedIn([...base, ...head]);
  const changes: JobChange[] = [];
  for (const { a, b } of pairBy(base, head, jobKey)) {
    if (a && b && stableJson(withoutPositions(a)) === stableJson(withoutPositions(b))) continue;
    changes.push(diffJob(a, b, definedAuth, options));
  }
  const order = (c: JobChange) => `${c.job}\u0000${c.namespace}`;
  return changes.sort((x, y) => (order(x) < order(y) ? -1 : order(x) > order(y) ? 1 : 0));
}

function diffJob(a: NomadJob | undefined, b: NomadJob | undefined, definedAuth: Set<string>, options: DiffOptions): JobChange {
  const job = (b ?? a)!;
  const state = statefulnessOf(a, b);
  const change: JobChange = {
    ...emptyJobChange({ job: job.id, namespace: job.namespace, file: job.file, line: job.line, change: !a ? 'added' : !b ? 'removed' : 'modified', type: job.type }),
    typeFrom: a && b && a.type !== b.type ? a.type : null,
    stateful: state.stateful,
    statefulBecause: state.because,
    routes: diffRoutes(a, b, definedAuth, options),
    unresolved: job.unresolved.map((u) => `${u.path}: ${u.expression}`),
  };
  if (!a || !b) {
    if (b) for (const g of b.groups) for (const t of g.tasks) if (t.image !== null) change.images.push(imageChange(undefined, undefined, g, t));
    return change;
  }
  change.update.push(...diffUpdate(null, a.update, b.update, b.line));
  for (const { key, a: ga, b: gb } of pairBy(a.groups, b.groups, (g) => g.name)) {
    if (!ga || !gb) {
      const g = (gb ?? ga)!;
      change.groups.push({ group: key, change: gb ? 'added' : 'removed', stateful: groupStatefulness(g).stateful, line: g.line } satisfies GroupChange);
      for (const t of g.tasks.filter((x) => x.image !== null)) change.images.push(gb ? imageChange(undefined, undefined, g, t) : imageChange(g, t, undefined, undefined));
      continue;
    }
    diffGroup(ga, gb, change);
  }
  change.other = otherChanges(a, b);
  return change;
}

function diffGroup(a: Group, b: Group, change: JobChange): void {
  if (a.count !== b.count) change.count.push({ group: b.name, from: a.count, to: b.count, line: b.line } satisfies CountChange);
  change.update.push(...diffUpdate(b.name, a.update, b.update, b.line));
  change.ports.push(...diffPorts(a, b));
  change.volumes.push(...diffVolumes(a, b));
  change.services.push(...diffServices(a, b));
  for (const { a: ta, b: tb } of pairBy(a.tasks, b.tasks, (t) => t.name)) {
    if (!ta || !tb || ta.image !== tb.image) {
      if ((ta?.image ?? null) !== null || (tb?.image ?? null) !== null) change.images.push(imageChange(a, ta, b, tb));
    }
    if (ta && tb) change.resources.push(...diffResources(b.name, ta, tb));
  }
}

function imageChange(ga: Group | undefined, ta: Task | undefined, gb: Group | undefined, tb: Task | undefined): ImageChange {
  const task = (tb ?? ta)!;
  const group = (gb ?? ga)!;
  const from = ta?.image ?? null;
  const to = tb?.image ?? null;
  const stateful = (ta && ga ? taskStatefulness(ta, ga).stateful : false) || (tb && gb ? taskStatefulness(tb, gb).stateful : false);
  const base = {
    group: group.name,
    task: task.name,
    from,
    to,
    stateful,
    database: isDatabaseImage(from) || isDatabaseImage(to),
    line: tb?.imageLine ?? tb?.line ?? ta?.imageLine ?? null,
  };
  if (from === null || to === null) {
    return { ...base, bump: from === null ? 'added' : 'removed', scheme: 'none', repositoryChanged: false, note: null };
  }
  if (isUnresolved(from) || isUnresolved(to)) {
    return { ...base, bump: 'incomparable', scheme: 'none', repositoryChanged: false, note: 'the image is an unresolved HCL2 expression' };
  }
  const c = compareImages(from, to);
  return { ...base, bump: c.bump, scheme: c.scheme, repositoryChanged: c.repositoryChanged, note: c.note };
}

const RESOURCE_FIELDS = [
  ['cpu', 'cpu'],
  ['cores', 'cores'],
  ['memory', 'memory'],
  ['memory_max', 'memoryMax'],
] as const;

function diffResources(group: string, a: Task, b: Task): ResourceChange[] {
  return RESOURCE_FIELDS.filter(([, k]) => a.resources[k] !== b.resources[k]).map(([field, k]) => ({
    group,
    task: b.name,
    field,
    from: a.resources[k],
    to: b.resources[k],
    line: b.line,
  }));
}

function diffUpdate(group: string | null, a: Group['update'], b: Group['update'], owner: number | null): UpdateChange[] {
  const fa = updateFields(a);
  const fb = updateFields(b);
  const line = b?.line ?? a?.line ?? owner;
  return Object.keys(fa)
    .filter((k) => fa[k] !== fb[k])
    .map((field) => ({ group, field, from: fa[field] ?? null, to: fb[field] ?? null, line }));
}

/** Statefulness across both sides: a job that held data at base still matters if head drops the mount. */
function statefulnessOf(a: NomadJob | undefined, b: NomadJob | undefined): { stateful: boolean; because: string[] } {
  const because = [...new Set([...(b ? jobStatefulness(b).because : []), ...(a ? jobStatefulness(a).because : [])])];
  return { stateful: because.length > 0, because };
}

const POSITION_KEYS = new Set(['line', 'imageLine', 'file']);

export function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (!isBody(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !POSITION_KEYS.has(k)).map(([k, v]) => [k, withoutPositions(v)]));
}

// Parts reported in their own lists; whatever else changed is listed by path in `other`.
const JOB_HANDLED = ['groups', 'update', 'unresolved', 'defaultsUsed', 'type'];
const GROUP_HANDLED = ['count', 'network', 'services', 'volumes', 'update', 'tasks', 'name'];
const TASK_HANDLED = ['image', 'resources', 'volumeMounts', 'mounts', 'name'];

function omit(o: object, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** The job with its handled parts left out, groups, tasks and templates keyed by name, so that
 *  changed paths read like the HCL (`group.web.task.app.env.TZ`). */
function keyedForOther(job: NomadJob): unknown {
  const task = (t: Task) => ({
    ...omit(t, [...TASK_HANDLED, 'templates']),
    template: Object.fromEntries(t.templates.map((tp, i) => [tp.destination ?? `#${i}`, tp])),
  });
  const group = (g: Group) => ({ ...omit(g, GROUP_HANDLED), task: Object.fromEntries(g.tasks.map((t) => [t.name, task(t)])) });
  return withoutPositions({ ...omit(job, JOB_HANDLED), group: Object.fromEntries(job.groups.map((g) => [g.name, group(g)])) });
}

const MAX_OTHER = 30;

function otherChanges(a: NomadJob, b: NomadJob): string[] {
  const collected: string[] = [];
  collectChangedPaths(keyedForOther(a), keyedForOther(b), '', collected);
  // A whole group or task that comes or goes is already reported (groups, images).
  const wholes = new Set<string>();
  for (const { key, a: ga, b: gb } of pairBy(a.groups, b.groups, (g) => g.name)) {
    if (!ga || !gb) wholes.add(`group.${key}`);
    else for (const t of pairBy(ga.tasks, gb.tasks, (x) => x.name)) if (!t.a || !t.b) wholes.add(`group.${key}.task.${t.key}`);
  }
  const paths = collected.filter((p) => !wholes.has(p));
  return paths.length > MAX_OTHER ? [...paths.slice(0, MAX_OTHER), `... and ${paths.length - MAX_OTHER} more`] : paths;
}

function collectChangedPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (stableJson(a) === stableJson(b)) return;
  if (isBody(a) && isBody(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) collectChangedPaths(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  out.push(path || '(job)');
}
