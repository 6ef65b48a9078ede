// Deterministic rules for Nomad job changes (CLASSIFICATION.md): each reason names its rule,
// its label and the evidence (job, file:line, what changed). Pure.
import type { Evidence, Reason } from '../../model/evidence.js';
import type { ImageChange, JobChange } from '../../model/job-change.js';
import type { JobFinding } from '../../model/nomad-job.js';

export function jobRules(changes: JobChange[]): Reason[] {
  return changes.flatMap(rulesForJob);
}

function evidence(c: JobChange, line: number | null, detail: string): Evidence {
  const at = line ?? c.line;
  return { job: c.job, file: c.file, ...(at !== null ? { line: at } : {}), detail };
}

function rulesForJob(c: JobChange): Reason[] {
  return [...changeRules(c), ...placementRules(c)];
}

/**
 * The cluster's own plan could not place some allocations (no node in the job's datacenters, none
 * with room, every node filtered out): registering it leaves the job short or not running at all.
 */
function placementRules(c: JobChange): Reason[] {
  if (!c.plan.planned || c.plan.plan.failedPlacements.length === 0) return [];
  const failures = c.plan.plan.failedPlacements;
  return [
    {
      ruleId: 'job.placement-failed',
      label: 'risky',
      message: `job ${c.job} cannot be placed by the cluster's plan: ${failures.join('; ')}`,
      evidence: failures.map((failure) => evidence(c, c.line, `Nomad plan: ${failure}`)),
    },
  ];
}

function changeRules(c: JobChange): Reason[] {
  if (c.change === 'added') {
    return [{ ruleId: 'job.added', label: 'clean', message: `new job ${c.job} (${c.type})`, evidence: [evidence(c, c.line, 'added')] }];
  }
  if (c.change === 'removed') {
    return c.stateful
      ? [{ ruleId: 'job.removed-stateful', label: 'risky', message: `job ${c.job} is removed and holds data: ${c.statefulBecause.slice(0, 3).join('; ')}`, evidence: [evidence(c, c.line, 'removed')] }]
      : [{ ruleId: 'job.removed', label: 'clean', message: `job ${c.job} is removed; it holds no data`, evidence: [evidence(c, c.line, 'removed')] }];
  }
  const reasons: Reason[] = [];
  const add = (ruleId: string, label: Reason['label'], message: string, line: number | null, detail: string) =>
    reasons.push({ ruleId, label, message, evidence: [evidence(c, line, detail)] });

  if (c.typeFrom) add('job.type-changed', 'risky', `job ${c.job} changes type ${c.typeFrom} -> ${c.type}: every allocation is rescheduled`, c.line, `${c.typeFrom} -> ${c.type}`);
  for (const g of c.groups) {
    if (g.change === 'added') add('job.group-added', 'clean', `job ${c.job} gains group ${g.group}`, g.line, `group ${g.group} added`);
    else if (g.stateful) add('job.group-removed-stateful', 'risky', `job ${c.job} drops group ${g.group}, which holds data`, g.line, `group ${g.group} removed`);
    else add('job.group-removed', 'clean', `job ${c.job} drops group ${g.group}; it holds no data`, g.line, `group ${g.group} removed`);
  }
  for (const image of c.images) imageRule(c, image, add);
  for (const v of c.volumes) {
    const detail = `${v.kind} ${v.from ?? '(none)'} -> ${v.to ?? '(none)'}`;
    if (v.data && v.change !== 'added') add('job.data-mount-moved', 'risky', `job ${c.job}: data storage ${v.change === 'removed' ? 'removed' : 'moved'} (${v.group}${v.task ? `/${v.task}` : ''})`, v.line, detail);
    else add('job.mounts', 'clean', `job ${c.job}: ${v.kind} ${v.change} (${v.group}${v.task ? `/${v.task}` : ''})`, v.line, detail);
  }
  for (const r of c.routes) {
    const lost = r.authFrom.filter((m) => !r.authTo.includes(m));
    const detail = `router ${r.router}: ${r.ruleFrom ?? '(none)'} -> ${r.ruleTo ?? '(none)'}; auth ${r.authFrom.join(',') || 'none'} -> ${r.authTo.join(',') || 'none'}`;
    if (r.change === 'changed' && r.public && lost.length > 0 && r.authTo.length === 0) {
      add('job.route-auth-removed', 'risky', `job ${c.job}: access-control middleware ${lost.join(', ')} taken off public route ${r.router}`, r.line, detail);
    } else add('job.route-changed', 'clean', `job ${c.job}: Traefik router ${r.router} ${r.change}`, r.line, detail);
  }
  for (const p of c.ports) {
    const detail = `${p.group} port ${p.label}: ${p.from ?? '(none)'} -> ${p.to ?? '(none)'}`;
    if (p.static && p.change !== 'added') add('job.static-port-changed', 'risky', `job ${c.job}: static port ${p.label} ${p.change}; clients that reach it on its fixed port lose access`, p.line, detail);
    else add('job.ports', 'clean', `job ${c.job}: port ${p.label} ${p.change}`, p.line, detail);
  }
  const summary = (kind: string, ruleId: string, items: Array<{ line?: number | null }>, text: string) => {
    if (items.length > 0) add(ruleId, 'clean', `job ${c.job}: ${kind} changed`, items[0]?.line ?? c.line, text);
  };
  summary('resources', 'job.resources', c.resources, c.resources.map((r) => `${r.group}/${r.task} ${r.field} ${r.from ?? '-'} -> ${r.to ?? '-'}`).join(', '));
  summary('count', 'job.count', c.count, c.count.map((r) => `${r.group} ${r.from ?? '?'} -> ${r.to ?? '?'}`).join(', '));
  summary('update stanza', 'job.update', c.update, c.update.map((u) => `${u.group ?? 'job'}.${u.field} ${u.from ?? '-'} -> ${u.to ?? '-'}`).join(', '));
  summary('service tags', 'job.services', c.services, c.services.map((s) => `${s.service} ${s.change}`).join(', '));
  if (c.other.length > 0) add('job.other', 'clean', `job ${c.job}: other fields changed`, c.line, c.other.slice(0, 8).join(', '));
  if (c.unresolved.length > 0) {
    add('job.unresolved', 'clean', `job ${c.job}: ${c.unresolved.length} field(s) hold HCL2 expressions kept as written`, c.line, c.unresolved.slice(0, 3).join('; '));
  }
  return reasons;
}

type Add = (ruleId: string, label: Reason['label'], message: string, line: number | null, detail: string) => void;

function imageRule(c: JobChange, image: ImageChange, add: Add): void {
  const where = `${image.group}/${image.task}`;
  const detail = `${image.from ?? '(none)'} -> ${image.to ?? '(none)'}${image.note ? ` (${image.note})` : ''}`;
  const kind = image.database ? 'a database' : image.stateful ? 'a stateful task' : 'a stateless task';
  switch (image.bump) {
    case 'added':
      add('job.task-added', 'clean', `job ${c.job}: task ${where} added`, image.line, detail);
      return;
    case 'removed':
      if (image.stateful) add('job.task-removed-stateful', 'risky', `job ${c.job}: task ${where} is removed and holds data`, image.line, detail);
      else add('job.task-removed', 'clean', `job ${c.job}: task ${where} removed; it holds no data`, image.line, detail);
      return;
    case 'major':
      if (image.stateful) add('job.image-major-stateful', 'risky', `job ${c.job}: major version bump of ${kind} (${where}); data migrations may be one-way`, image.line, detail);
      // A stateless app's major bump is outside CLASSIFICATION's clean class ("within a major
      // version of stateless apps"): configuration and APIs may change, so a human looks.
      else add('job.image-major', 'risky', `job ${c.job}: major version bump of ${kind} (${where}); configuration or behaviour may change`, image.line, detail);
      return;
    case 'incomparable':
      if (image.stateful) add('job.image-incomparable-stateful', 'risky', `job ${c.job}: cannot tell how far the image of ${kind} (${where}) moves, so a one-way migration cannot be ruled out`, image.line, detail);
      else add('job.image-incomparable', 'clean', `job ${c.job}: image of ${kind} (${where}) changes in a way that cannot be compared; it holds no data`, image.line, detail);
      return;
    default:
      if (image.repositoryChanged && image.stateful) {
        add('job.image-repository-stateful', 'risky', `job ${c.job}: the image of ${kind} (${where}) comes from another repository; its data layout may differ`, image.line, detail);
      } else add(`job.image-${image.bump === 'none' ? 'patch' : image.bump}`, 'clean', `job ${c.job}: ${image.bump === 'none' ? 'image reference' : `${image.bump} version`} change of ${kind} (${where})`, image.line, detail);
  }
}

/** Static validation errors as reasons: a job that fails validation is not deployed. */
export function validationRules(findings: JobFinding[]): Reason[] {
  return findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({
      ruleId: `job.static.${f.code}`,
      label: 'risky' as const,
      message: `static validation failed: ${f.message}`,
      evidence: [{ ...(f.job ? { job: f.job } : {}), file: f.file, line: f.line, detail: f.code }],
    }));
}
