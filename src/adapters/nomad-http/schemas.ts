// Zod schemas of the Nomad API answers Steward reads: only the fields it uses, PascalCase as on
// the wire. Go encodes empty slices and maps as null, so lists and maps accept null as empty.
import { z } from 'zod';

export const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);
export const dict = <T extends z.ZodType>(item: T) =>
  z
    .record(z.string(), item)
    .nullish()
    .transform((value) => value ?? {});
const uint = z.number().int().nonnegative();
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

/** A job is passed through as Nomad wrote it; only its ID is required. */
export const JobSpecWire = z.looseObject({ ID: z.string().min(1) });

export const ValidateWire = z.object({
  ValidationErrors: list(z.string()),
  Error: text,
  Warnings: text,
});

export const DiffType = z.enum(['Added', 'Deleted', 'Edited', 'None']);

export const FieldDiffWire = z.object({
  Type: DiffType,
  Name: z.string(),
  Old: text,
  New: text,
  Annotations: list(z.string()),
});
export type FieldDiffWire = z.infer<typeof FieldDiffWire>;

export interface ObjectDiffWire {
  Type: z.infer<typeof DiffType>;
  Name: string;
  Fields: FieldDiffWire[];
  Objects: ObjectDiffWire[];
}
export const ObjectDiffWire: z.ZodType<ObjectDiffWire, unknown> = z.lazy(() =>
  z.object({
    Type: DiffType,
    Name: z.string(),
    Fields: list(FieldDiffWire),
    Objects: list(ObjectDiffWire),
  }),
);

export const TaskDiffWire = z.object({
  Type: DiffType,
  Name: z.string(),
  Fields: list(FieldDiffWire),
  Objects: list(ObjectDiffWire),
  Annotations: list(z.string()),
});

export const TaskGroupDiffWire = z.object({
  Type: DiffType,
  Name: z.string(),
  Fields: list(FieldDiffWire),
  Objects: list(ObjectDiffWire),
  Tasks: list(TaskDiffWire),
  Updates: dict(uint),
});

export const JobDiffWire = z.object({
  Type: DiffType,
  ID: z.string(),
  Fields: list(FieldDiffWire),
  Objects: list(ObjectDiffWire),
  TaskGroups: list(TaskGroupDiffWire),
});
export type JobDiffWire = z.infer<typeof JobDiffWire>;

const count = uint.nullish().transform((value) => value ?? 0);
export const DesiredUpdatesWire = z.object({
  Place: count,
  Stop: count,
  Migrate: count,
  InPlaceUpdate: count,
  DestructiveUpdate: count,
  Canary: count,
  Ignore: count,
  Preemptions: count,
});

export const AllocationMetricWire = z.object({
  NodesEvaluated: count,
  NodesExhausted: count,
  /** Ready nodes per datacenter of the whole cluster (what the job could have used). */
  NodesAvailable: dict(uint),
  DimensionExhausted: dict(uint),
  ConstraintFiltered: dict(uint),
});

export const PlanWire = z.object({
  Annotations: z
    .object({ DesiredTGUpdates: dict(DesiredUpdatesWire) })
    .nullish()
    .transform((value) => value ?? { DesiredTGUpdates: {} }),
  Diff: JobDiffWire.nullish(),
  FailedTGAllocs: dict(AllocationMetricWire),
  JobModifyIndex: uint,
  Warnings: text,
});
export type PlanWire = z.infer<typeof PlanWire>;

export const RegisterWire = z.object({
  EvalID: text,
  JobModifyIndex: uint,
  Warnings: text,
});

/** `DELETE /v1/job/:id` (JobDeregisterResponse). */
export const DeregisterWire = z.object({
  EvalID: z.string(),
  JobModifyIndex: uint,
});

/** `POST /v1/allocation/:id/stop` (AllocStopResponse). */
export const AllocStopWire = z.object({
  EvalID: z.string(),
  Index: uint.optional(),
});

export const JobStubWire = z.object({
  ID: z.string(),
  Name: z.string(),
  Type: z.string(),
  Status: z.string(),
  Stop: z.boolean().nullish(),
  JobModifyIndex: uint,
});

export const JobVersionsWire = z.object({
  Versions: list(z.looseObject({ ID: z.string(), Version: uint, Stable: z.boolean().nullish(), JobModifyIndex: uint, SubmitTime: z.number().nullish() })),
});

export const EvaluationWire = z.object({
  ID: z.string(),
  JobID: z.string(),
  Status: z.string(),
  StatusDescription: text,
  DeploymentID: text,
});

export const DeploymentStateWire = z.object({
  AutoRevert: z.boolean().nullish(),
  DesiredTotal: count,
  DesiredCanaries: count,
  PlacedAllocs: count,
  HealthyAllocs: count,
  UnhealthyAllocs: count,
});

export const DeploymentWire = z.object({
  ID: z.string(),
  JobID: z.string(),
  JobVersion: uint,
  JobModifyIndex: uint,
  Status: z.string(),
  StatusDescription: text,
  TaskGroups: dict(DeploymentStateWire),
  ModifyIndex: uint,
});
export type DeploymentWire = z.infer<typeof DeploymentWire>;

export const AllocationStubWire = z.object({
  ID: z.string(),
  Name: z.string(),
  JobID: z.string(),
  JobVersion: uint,
  TaskGroup: z.string(),
  NodeID: text,
  NodeName: text,
  DesiredStatus: z.string(),
  ClientStatus: z.string(),
  DeploymentStatus: z.object({ Healthy: z.boolean().nullish() }).nullish(),
  ModifyIndex: uint,
});
export type AllocationStubWire = z.infer<typeof AllocationStubWire>;

/** `GET /v1/allocation/:id`, only its tasks' events (what the agent shows as recent events). */
export const AllocationEventsWire = z.object({
  TaskStates: z
    .record(
      z.string(),
      z.object({
        State: text,
        Failed: z.boolean().nullish(),
        Restarts: z.number().nullish(),
        Events: list(z.object({ Type: text, DisplayMessage: text, Message: text, Time: z.number().nullish() })),
      }),
    )
    .nullish(),
});

export const NodeStubWire = z.object({
  ID: z.string(),
  Name: z.string(),
  Address: text,
  Datacenter: text,
  Status: z.string(),
  SchedulingEligibility: text,
  Drain: z.boolean().nullish(),
  Version: text,
});

export const RaftConfigurationWire = z.object({
  Servers: list(
    z.object({
      ID: z.string(),
      Node: z.string(),
      Address: z.string(),
      Leader: z.boolean(),
      Voter: z.boolean(),
    }),
  ),
});
