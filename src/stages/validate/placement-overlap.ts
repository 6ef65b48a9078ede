// Can two task groups land on the same Nomad client? Decided from what the job files say: region,
// datacenters, node pool and equality constraints. Unknown means "may share", never "disjoint".
import picomatch from 'picomatch';
import type { Constraint, Group, NomadJob } from '../../model/nomad-job.js';
import { isUnresolved } from '../analyze/jobs/hcl-expressions.js';

export interface Placement {
  job: NomadJob;
  group: Group;
  constraints: Constraint[];
}

export type Overlap = 'disjoint' | 'may-share' | 'same-node' | 'covers';

const EQUALS = new Set(['=', '==', 'is']);
const NOT_EQUALS = new Set(['!=', 'not']);
// Attributes that name one node: equal values pin both groups to that node.
const NODE_IDENTITY = new Set(['${node.unique.name}', '${node.unique.id}', '${attr.unique.hostname}', '${attr.unique.network.ip-address}']);
// Attributes every node of a homelab shares: they do not narrow placement.
const UBIQUITOUS = new Set(['${attr.kernel.name}', '${attr.kernel.arch}', '${attr.cpu.arch}', '${attr.os.name}', '${attr.driver.docker}']);

export function placementOf(job: NomadJob, group: Group): Placement {
  return { job, group, constraints: [...job.constraints, ...group.constraints, ...group.tasks.flatMap((t) => t.constraints)] };
}

function isSystem(p: Placement): boolean {
  return p.job.type === 'system' || p.job.type === 'sysbatch';
}

function datacentersMayShare(a: string[], b: string[]): boolean {
  if (a.some(isUnresolved) || b.some(isUnresolved)) return true;
  return a.some((x) => b.some((y) => x === y || picomatch.isMatch(y, x) || picomatch.isMatch(x, y)));
}

function datacentersCover(outer: string[], inner: string[]): boolean {
  if (outer.some(isUnresolved) || inner.some(isUnresolved)) return false;
  return inner.every((y) => outer.some((x) => x === y || picomatch.isMatch(y, x)));
}

function equalities(p: Placement): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of p.constraints) if (EQUALS.has(c.operator) && c.attribute && !isUnresolved(c.value)) out.set(c.attribute, c.value);
  return out;
}

/** Why two placements can never meet, or null when they may. */
function separation(a: Placement, b: Placement): string | null {
  if ((a.job.region ?? 'global') !== (b.job.region ?? 'global')) return 'different regions';
  const poolA = a.job.nodePool ?? 'default';
  const poolB = b.job.nodePool ?? 'default';
  if (poolA !== poolB && poolA !== 'all' && poolB !== 'all') return 'different node pools';
  if (!datacentersMayShare(a.job.datacenters, b.job.datacenters)) return 'different datacenters';
  const eqA = equalities(a);
  const eqB = equalities(b);
  for (const [attr, value] of eqA) {
    const other = eqB.get(attr);
    if (other !== undefined && other !== value) return `constraints pin them apart (${attr})`;
  }
  const excludes = (eq: Map<string, string>, p: Placement) =>
    p.constraints.some((c) => NOT_EQUALS.has(c.operator) && eq.get(c.attribute) === c.value);
  if (excludes(eqA, b) || excludes(eqB, a)) return 'constraints exclude each other';
  return null;
}

/**
 * `same-node`: both pinned to one node. `covers`: a system job runs wherever the other may go,
 * so they are bound to meet. `may-share`: they can meet, and Nomad will only place them apart if
 * another eligible node is free.
 */
export function placementOverlap(a: Placement, b: Placement): Overlap {
  if (separation(a, b)) return 'disjoint';
  const eqA = equalities(a);
  const eqB = equalities(b);
  for (const attr of NODE_IDENTITY) if (eqA.has(attr) && eqA.get(attr) === eqB.get(attr)) return 'same-node';
  if ((isSystem(a) && covers(a, b, eqA, eqB)) || (isSystem(b) && covers(b, a, eqB, eqA))) return 'covers';
  return 'may-share';
}

function covers(system: Placement, other: Placement, eqSystem: Map<string, string>, eqOther: Map<string, string>): boolean {
  const poolSystem = system.job.nodePool ?? 'default';
  if (poolSystem !== 'all' && poolSystem !== (other.job.nodePool ?? 'default')) return false;
  if (!datacentersCover(system.job.datacenters, other.job.datacenters)) return false;
  const narrowing = system.constraints.filter((c) => !UBIQUITOUS.has(c.attribute) && c.operator !== 'distinct_hosts' && c.operator !== 'distinct_property');
  return narrowing.every((c) => EQUALS.has(c.operator) && eqOther.get(c.attribute) === eqSystem.get(c.attribute));
}
