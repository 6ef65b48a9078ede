// Nomad's plan answer (nulls and all) into Steward's JobPlan.
import { describe, expect, it } from 'vitest';
import { JobPlan } from '../../model/job-plan.js';
import { buildJobPlan } from './plan-mapping.js';
import { PlanWire } from './schemas.js';

// An answer shaped like a real Nomad plan: Go writes empty slices and maps as null, and a
// contextual diff carries `None` entries that say nothing changed.
const answer = {
  Annotations: {
    DesiredTGUpdates: {
      web: { Ignore: 0, Place: 1, Migrate: 0, Stop: 0, InPlaceUpdate: 2, DestructiveUpdate: 0, Canary: 0, Preemptions: 0 },
      db: { Ignore: 1, Place: 0, Migrate: 0, Stop: 0, InPlaceUpdate: 0, DestructiveUpdate: 0, Canary: 0, Preemptions: 0 },
    },
    PreemptedAllocs: null,
  },
  Diff: {
    ID: 'app',
    Type: 'Edited',
    Fields: [{ Annotations: null, Name: 'Meta[owner]', New: 'lab', Old: '', Type: 'Added' }],
    Objects: null,
    TaskGroups: [
      {
        Name: 'web',
        Type: 'Edited',
        Updates: { create: 1, 'in-place update': 2 },
        Fields: [{ Annotations: null, Name: 'Count', New: '3', Old: '2', Type: 'Edited' }],
        Objects: [
          {
            Name: 'Service',
            Type: 'Edited',
            Fields: [{ Annotations: null, Name: 'Name', New: 'web', Old: 'web', Type: 'None' }],
            Objects: [{ Name: 'Tags', Type: 'Edited', Fields: [{ Annotations: null, Name: 'Tags', New: 'public', Old: '', Type: 'Added' }], Objects: null }],
          },
        ],
        Tasks: [
          { Name: 'app', Type: 'None', Annotations: null, Fields: null, Objects: null },
          { Name: 'sidecar', Type: 'Added', Annotations: ['forces create'], Fields: [{ Annotations: null, Name: 'Driver', New: 'docker', Old: '', Type: 'Added' }], Objects: null },
        ],
      },
      { Name: 'db', Type: 'None', Updates: { ignore: 1 }, Fields: null, Objects: null, Tasks: null },
    ],
  },
  FailedTGAllocs: { web: { NodesEvaluated: 3, NodesExhausted: 3, DimensionExhausted: { memory: 3 }, ConstraintFiltered: null } },
  JobModifyIndex: 42,
  CreatedEvals: null,
  Warnings: '',
};

describe('buildJobPlan', () => {
  it('reads a real-shaped plan answer, nulls included, into a valid JobPlan', () => {
    const plan = buildJobPlan('app', PlanWire.parse(answer));
    expect(JobPlan.parse(plan)).toEqual(plan);
    expect(plan.groups.map((g) => [g.group, g.place, g.inPlaceUpdate, g.ignore])).toEqual([
      ['db', 0, 0, 1],
      ['web', 1, 2, 0],
    ]);
    expect(plan.jobModifyIndex).toBe(42);
    expect(plan.warnings).toBeUndefined();
  });

  it('flattens the nested diff into dotted paths and drops what did not change', () => {
    const plan = buildJobPlan('app', PlanWire.parse(answer));
    expect(plan.fields).toEqual([
      { path: 'Meta[owner]', type: 'Added', old: '', new: 'lab' },
      { path: 'group.web.Count', type: 'Edited', old: '2', new: '3' },
      { path: 'group.web.Service.Tags', type: 'Added', old: '', new: 'public' },
      { path: 'group.web.task.sidecar', type: 'Added', old: '', new: '' },
      { path: 'group.web.task.sidecar.Driver', type: 'Added', old: '', new: 'docker' },
    ]);
  });

  it('says why placements failed', () => {
    expect(buildJobPlan('app', PlanWire.parse(answer)).failedPlacements).toEqual(['web: exhausted memory; 3 nodes evaluated']);
  });

  it('treats a plan without a Diff as no change', () => {
    const plan = buildJobPlan('app', PlanWire.parse({ ...answer, Diff: null, Warnings: 'Job Warnings:\n1 warning' }));
    expect(plan.diffType).toBe('None');
    expect(plan.fields).toEqual([]);
    expect(plan.warnings).toBe('Job Warnings:\n1 warning');
  });

  it('rejects an answer with an unknown diff type instead of guessing', () => {
    expect(PlanWire.safeParse({ ...answer, Diff: { ...answer.Diff, Type: 'Mangled' } }).success).toBe(false);
  });
});
