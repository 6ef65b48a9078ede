// What a change does to one Nomad job, found by comparing the normalised job at base and head;
// the live plan (from the cluster, when there is one) is folded in as `plan`.
import { z } from 'zod';
import { JobPlanResult } from './job-plan.js';

const line = z.number().int().positive().nullable();
const change = z.enum(['added', 'removed', 'changed']);

export const ImageChange = z
  .object({
    group: z.string(),
    task: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** `incomparable`: latest/edge/digests/variants; never guessed as minor. */
    bump: z.enum(['major', 'minor', 'patch', 'none', 'incomparable', 'added', 'removed']),
    scheme: z.enum(['semver', 'calver', 'none']),
    repositoryChanged: z.boolean(),
    note: z.string().nullable(),
    /** The task keeps data (writable mounts or volumes) or runs a known database image. */
    stateful: z.boolean(),
    database: z.boolean(),
    line,
  })
  .strict();
export type ImageChange = z.infer<typeof ImageChange>;

export const ResourceChange = z
  .object({
    group: z.string(),
    task: z.string(),
    field: z.enum(['cpu', 'cores', 'memory', 'memory_max']),
    from: z.number().nullable(),
    to: z.number().nullable(),
    line,
  })
  .strict();
export type ResourceChange = z.infer<typeof ResourceChange>;

export const PortChange = z
  .object({
    group: z.string(),
    /** Port label, or `(network mode)` for a change of mode. */
    label: z.string(),
    change,
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** A static (host-fixed) port on either side. */
    static: z.boolean(),
    line,
  })
  .strict();
export type PortChange = z.infer<typeof PortChange>;

export const VolumeChange = z
  .object({
    group: z.string(),
    task: z.string().nullable(),
    kind: z.enum(['host-volume', 'csi-volume', 'volume-mount', 'bind-mount', 'docker-volume', 'tmpfs']),
    change,
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** Writable storage that outlives the allocation: data lives there. */
    data: z.boolean(),
    line,
  })
  .strict();
export type VolumeChange = z.infer<typeof VolumeChange>;

export const ServiceChange = z
  .object({
    group: z.string(),
    service: z.string(),
    change,
    tagsAdded: z.array(z.string()),
    tagsRemoved: z.array(z.string()),
    /** Other changed fields: port, provider, checks, connect. */
    fields: z.array(z.string()),
    line,
  })
  .strict();
export type ServiceChange = z.infer<typeof ServiceChange>;

export const RouteChange = z
  .object({
    router: z.string(),
    protocol: z.enum(['http', 'tcp', 'udp']),
    service: z.string(),
    change,
    ruleFrom: z.string().nullable(),
    ruleTo: z.string().nullable(),
    entrypoints: z.array(z.string()),
    /** Reachable from outside (by the configured public entrypoints; every route when unknown). */
    public: z.boolean(),
    authFrom: z.array(z.string()),
    authTo: z.array(z.string()),
    line,
  })
  .strict();
export type RouteChange = z.infer<typeof RouteChange>;

export const UpdateChange = z
  .object({
    /** null for the job-level update stanza. */
    group: z.string().nullable(),
    field: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    line,
  })
  .strict();
export type UpdateChange = z.infer<typeof UpdateChange>;

export const CountChange = z
  .object({ group: z.string(), from: z.number().int().nullable(), to: z.number().int().nullable(), line })
  .strict();
export type CountChange = z.infer<typeof CountChange>;

export const GroupChange = z
  .object({ group: z.string(), change: z.enum(['added', 'removed']), stateful: z.boolean(), line })
  .strict();
export type GroupChange = z.infer<typeof GroupChange>;

export const JobChange = z
  .object({
    job: z.string(),
    namespace: z.string(),
    /** The head file (the base file for a removed job). */
    file: z.string(),
    line,
    change: z.enum(['added', 'removed', 'modified']),
    type: z.string(),
    typeFrom: z.string().nullable(),
    stateful: z.boolean(),
    /** Why the job counts as stateful, e.g. `host volume pgdata (rw)`, `image postgres (a database)`. */
    statefulBecause: z.array(z.string()),
    groups: z.array(GroupChange),
    images: z.array(ImageChange),
    resources: z.array(ResourceChange),
    ports: z.array(PortChange),
    volumes: z.array(VolumeChange),
    services: z.array(ServiceChange),
    routes: z.array(RouteChange),
    update: z.array(UpdateChange),
    count: z.array(CountChange),
    /** Other changed fields by path (env names, templates, constraints, meta, config digests...). */
    other: z.array(z.string()),
    /** Fields at head (base for a removed job) holding HCL2 expressions that could not be resolved. */
    unresolved: z.array(z.string()),
    plan: JobPlanResult.default({ planned: false, note: 'not planned: no cluster' }),
  })
  .strict();
export type JobChange = z.infer<typeof JobChange>;

export const NOT_PLANNED: JobPlanResult = { planned: false, note: 'not planned: no cluster' };

/** A job change with nothing found yet: the analysis (or a test) fills in what differs. */
export function emptyJobChange(id: Pick<JobChange, 'job' | 'namespace' | 'file' | 'line' | 'change' | 'type'>): JobChange {
  return {
    ...id,
    typeFrom: null,
    stateful: false,
    statefulBecause: [],
    groups: [],
    images: [],
    resources: [],
    ports: [],
    volumes: [],
    services: [],
    routes: [],
    update: [],
    count: [],
    other: [],
    unresolved: [],
    plan: NOT_PLANNED,
  };
}
