// The simulator's plans: Place / Stop / InPlaceUpdate / DestructiveUpdate / Canary / Ignore and the
// field diff, from a real comparison of the registered and the submitted job.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJobHcl } from './hcl-to-job.js';
import type { Body } from './hcl-values.js';
import { desiredUpdates, planJobChange } from './plan-updates.js';
import { SCENARIO_JOBS } from './scenarios.js';

let base: Body;
const count = (group: Body) => Number(group.Count);
const edit = async (from: string, to: string) => parseJobHcl(SCENARIO_JOBS.whoami!.replace(from, to));

beforeAll(async () => {
  base = await parseJobHcl(SCENARIO_JOBS.whoami!);
});

describe('planJobChange', () => {
  it('plans a destructive update when a task image changes, with the field diff in Nomad shape', async () => {
    const plan = planJobChange(base, await edit('whoami:v1.10.1', 'whoami:v1.11.0'), { web: 2 }, count);
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ DestructiveUpdate: 2, InPlaceUpdate: 0, Place: 0, Stop: 0 });
    expect(plan.diff.Type).toBe('Edited');
    const task = plan.diff.TaskGroups[0]!.Tasks[0]!;
    expect(task.Annotations).toEqual(['forces create/destroy update']);
    expect(task.Objects).toEqual([{ Type: 'Edited', Name: 'Config', Fields: [{ Type: 'Edited', Name: 'image', Old: 'traefik/whoami:v1.10.1', New: 'traefik/whoami:v1.11.0' }], Objects: [] }]);
    expect(plan.diff.TaskGroups[0]!.Updates).toEqual({ 'create/destroy update': 2 });
  });

  it('places new allocations and updates the others in place when only the count grows', async () => {
    const plan = planJobChange(base, await edit('count = 2', 'count = 3'), { web: 2 }, count);
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ Place: 1, InPlaceUpdate: 2, DestructiveUpdate: 0 });
    expect(plan.diff.TaskGroups[0]!.Fields).toEqual([{ Type: 'Edited', Name: 'Count', Old: '2', New: '3' }]);
  });

  it('stops allocations when the count shrinks', async () => {
    const plan = planJobChange(base, await edit('count = 2', 'count = 1'), { web: 2 }, count);
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ Stop: 1, InPlaceUpdate: 1, Place: 0 });
  });

  it('updates in place when only a service tag changes, and diffs the tags as a set', async () => {
    const plan = planJobChange(base, await edit('"traefik.enable=true",', '"traefik.enable=true", "public",'), { web: 2 }, count);
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ InPlaceUpdate: 2, DestructiveUpdate: 0 });
    const service = plan.diff.TaskGroups[0]!.Objects.find((o) => o.Name === 'Service')!;
    expect(service.Objects).toContainEqual({ Type: 'Edited', Name: 'Tags', Fields: [{ Type: 'Added', Name: 'Tags', Old: '', New: 'public' }], Objects: [] });
  });

  it('replaces allocations when task meta changes, as Nomad does (meta reaches the task environment)', async () => {
    const plan = planJobChange(base, await edit('driver = "docker"', 'driver = "docker"\n      meta {\n        rev = "2"\n      }'), { web: 2 }, count);
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ DestructiveUpdate: 2 });
    expect(plan.diff.TaskGroups[0]!.Tasks[0]!.Fields).toContainEqual({ Type: 'Added', Name: 'Meta[rev]', Old: '', New: '2' });
  });

  it('places every allocation of a new job', async () => {
    const plan = planJobChange(undefined, base, {}, count);
    expect(plan.specChanged).toBe(true);
    expect(plan.diff.Type).toBe('Added');
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ Place: 2, Stop: 0, Ignore: 0 });
    expect(plan.diff.TaskGroups[0]!.Tasks[0]!.Annotations).toEqual(['forces create']);
  });

  it('ignores running allocations when the job is unchanged', async () => {
    const plan = planJobChange(base, await parseJobHcl(SCENARIO_JOBS.whoami!), { web: 2 }, count);
    expect(plan.specChanged).toBe(false);
    expect(plan.diff.Type).toBe('None');
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ Ignore: 2, InPlaceUpdate: 0, DestructiveUpdate: 0, Place: 0 });
  });

  it('plans canaries and leaves the old allocations alone when the update block asks for canaries', async () => {
    const next = await edit('auto_revert      = true', 'auto_revert      = true\n      canary           = 1');
    ((next.TaskGroups as Body[])[0]!.Tasks as Body[])[0]!.Config = { image: 'traefik/whoami:v2.0.0', ports: ['http'] };
    const plan = planJobChange(base, next, { web: 2 }, count);
    expect(desiredUpdates(plan.groups[0]!)).toMatchObject({ Canary: 1, Ignore: 2, DestructiveUpdate: 0 });
  });

  it('stops a removed group and places an added one', async () => {
    const next = structuredClone(base);
    (next.TaskGroups as Body[])[0]!.Name = 'api';
    const plan = planJobChange(base, next, { web: 2 }, count);
    expect(plan.groups.map((g) => [g.name, g.place, g.stop])).toEqual([
      ['api', 2, 0],
      ['web', 0, 2],
    ]);
    expect(plan.diff.TaskGroups.map((g) => [g.Name, g.Type])).toEqual([
      ['api', 'Added'],
      ['web', 'Deleted'],
    ]);
  });
});
