// Normalisation of the stanzas that appear at several levels of a job (job, group, task):
// constraints, affinities, update, restart. Pure: raw hcl2json bodies in, model values out.
import type { Affinity, Constraint, Restart, UpdateStanza } from '../../../model/nomad-job.js';
import { bodies, bool, firstBody, num, str, type RawBody } from './raw-hcl.js';

export function normaliseConstraints(body: RawBody): Constraint[] {
  const out = bodies(body.constraint).map((c) => ({
    attribute: str(c.attribute) ?? '',
    operator: str(c.operator) ?? '=',
    value: str(c.value) ?? '',
  }));
  // Shorthand forms: `distinct_hosts = true`, `distinct_property = "${meta.rack}"` inside a constraint.
  for (const c of bodies(body.constraint)) {
    if (bool(c.distinct_hosts) === true) out.push({ attribute: '', operator: 'distinct_hosts', value: 'true' });
    if (str(c.distinct_property) !== null) out.push({ attribute: str(c.distinct_property) ?? '', operator: 'distinct_property', value: '' });
  }
  return out.filter((c) => c.attribute !== '' || c.operator !== '=' || c.value !== '');
}

export function normaliseAffinities(body: RawBody): Affinity[] {
  return bodies(body.affinity).map((a) => ({
    attribute: str(a.attribute) ?? '',
    operator: str(a.operator) ?? '=',
    value: str(a.value) ?? '',
    weight: num(a.weight),
  }));
}

export function normaliseUpdate(body: RawBody, line: number | null): UpdateStanza | null {
  const u = firstBody(body.update);
  if (!u) return null;
  return {
    maxParallel: num(u.max_parallel),
    canary: num(u.canary),
    autoRevert: bool(u.auto_revert),
    autoPromote: bool(u.auto_promote),
    healthCheck: str(u.health_check),
    minHealthyTime: str(u.min_healthy_time),
    healthyDeadline: str(u.healthy_deadline),
    progressDeadline: str(u.progress_deadline),
    stagger: str(u.stagger),
    line,
  };
}

export function normaliseRestart(body: RawBody): Restart | null {
  const r = firstBody(body.restart);
  if (!r) return null;
  return { attempts: num(r.attempts), interval: str(r.interval), delay: str(r.delay), mode: str(r.mode) };
}

/** The update fields as display strings, for diffing (null = not set). */
export function updateFields(u: UpdateStanza | null): Record<string, string | null> {
  const show = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    max_parallel: show(u?.maxParallel),
    canary: show(u?.canary),
    auto_revert: show(u?.autoRevert),
    auto_promote: show(u?.autoPromote),
    health_check: show(u?.healthCheck),
    min_healthy_time: show(u?.minHealthyTime),
    healthy_deadline: show(u?.healthyDeadline),
    progress_deadline: show(u?.progressDeadline),
    stagger: show(u?.stagger),
  };
}
