// Turns Nomad's plan answer into Steward's JobPlan: per-group desired updates, and the nested
// field Diff flattened into dotted paths (`group.web.task.app.Config.image`). Pure.
import type { FieldDiff, GroupPlan, JobPlan } from '../../model/job-plan.js';
import type { FieldDiffWire, ObjectDiffWire, PlanWire } from './schemas.js';

export function buildJobPlan(jobId: string, wire: PlanWire): JobPlan {
  const groups: GroupPlan[] = Object.entries(wire.Annotations.DesiredTGUpdates)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, u]) => ({
      group,
      place: u.Place,
      stop: u.Stop,
      migrate: u.Migrate,
      inPlaceUpdate: u.InPlaceUpdate,
      destructiveUpdate: u.DestructiveUpdate,
      canary: u.Canary,
      ignore: u.Ignore,
    }));
  const plan: JobPlan = {
    jobId,
    diffType: wire.Diff?.Type ?? 'None',
    groups,
    fields: wire.Diff ? flattenJobDiff(wire.Diff) : [],
    jobModifyIndex: wire.JobModifyIndex,
    failedPlacements: Object.entries(wire.FailedTGAllocs)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, metric]) => describeFailure(group, metric)),
  };
  if (wire.Warnings.trim()) plan.warnings = wire.Warnings.trim();
  return plan;
}

export function flattenJobDiff(diff: NonNullable<PlanWire['Diff']>): FieldDiff[] {
  const out: FieldDiff[] = [];
  collect(out, '', diff.Fields, diff.Objects);
  for (const group of diff.TaskGroups) {
    const groupPath = `group.${group.Name}`;
    if (group.Type === 'Added' || group.Type === 'Deleted') out.push(whole(groupPath, group.Type));
    collect(out, groupPath, group.Fields, group.Objects);
    for (const task of group.Tasks) {
      const taskPath = `${groupPath}.task.${task.Name}`;
      if (task.Type === 'Added' || task.Type === 'Deleted') out.push(whole(taskPath, task.Type));
      collect(out, taskPath, task.Fields, task.Objects);
    }
  }
  return out;
}

function collect(out: FieldDiff[], prefix: string, fields: FieldDiffWire[], objects: ObjectDiffWire[], parentName?: string): void {
  for (const field of fields) {
    if (field.Type === 'None') continue;
    // Nomad names the members of a set diff after the set itself (`Tags` inside `Tags`).
    const path = field.Name === parentName ? prefix : join(prefix, field.Name);
    out.push({ path, type: field.Type, old: field.Old, new: field.New });
  }
  for (const object of objects) {
    if (object.Type === 'None') continue;
    collect(out, join(prefix, object.Name), object.Fields, object.Objects, object.Name);
  }
}

function whole(path: string, type: 'Added' | 'Deleted'): FieldDiff {
  return { path, type, old: '', new: '' };
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

function describeFailure(group: string, metric: PlanWire['FailedTGAllocs'][string]): string {
  const exhausted = Object.keys(metric.DimensionExhausted).sort();
  const filtered = Object.keys(metric.ConstraintFiltered).sort();
  const datacenters = Object.keys(metric.NodesAvailable).sort();
  const why = [
    // Nothing evaluated: no ready node in the job's datacenters (a datacenter that does not exist).
    metric.NodesEvaluated === 0 ? `no node in the job's datacenters${datacenters.length ? ` (the cluster has ${datacenters.join(', ')})` : ''}` : '',
    exhausted.length ? `exhausted ${exhausted.join(', ')}` : '',
    filtered.length ? `filtered by ${filtered.join(', ')}` : '',
    `${metric.NodesEvaluated} node${metric.NodesEvaluated === 1 ? '' : 's'} evaluated`,
  ].filter(Boolean);
  return `${group}: ${why.join('; ')}`;
}
