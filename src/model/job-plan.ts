// The live plan of a Nomad job (from `/v1/job/:id/plan` with Diff), folded into the job's change.
import { z } from 'zod';

export const GroupPlan = z
  .object({
    group: z.string(),
    place: z.number().int(),
    stop: z.number().int(),
    migrate: z.number().int(),
    inPlaceUpdate: z.number().int(),
    destructiveUpdate: z.number().int(),
    canary: z.number().int(),
    ignore: z.number().int(),
  })
  .strict();
export type GroupPlan = z.infer<typeof GroupPlan>;

export const FieldDiff = z
  .object({
    /** Dotted location, e.g. `group.web.task.app.Config.image`. */
    path: z.string(),
    type: z.enum(['Added', 'Deleted', 'Edited', 'None']),
    old: z.string(),
    new: z.string(),
  })
  .strict();
export type FieldDiff = z.infer<typeof FieldDiff>;

export const JobPlan = z
  .object({
    jobId: z.string(),
    /** Nomad's diff type for the whole job. */
    diffType: z.enum(['Added', 'Deleted', 'Edited', 'None']),
    groups: z.array(GroupPlan),
    fields: z.array(FieldDiff),
    /** The job modify index to pass as EnforceIndex when registering. */
    jobModifyIndex: z.number().int(),
    warnings: z.string().optional(),
    failedPlacements: z.array(z.string()),
  })
  .strict();
export type JobPlan = z.infer<typeof JobPlan>;

/** Either a plan, or why there is none ("not planned: no cluster"). */
export const JobPlanResult = z.union([
  z.object({ planned: z.literal(true), plan: JobPlan }).strict(),
  z.object({ planned: z.literal(false), note: z.string() }).strict(),
]);
export type JobPlanResult = z.infer<typeof JobPlanResult>;
