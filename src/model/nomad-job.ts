// The typed Nomad job model: what Steward understands of a job file once parsed and normalised,
// with source lines kept so that findings and reasons can cite file:line.
import { z } from 'zod';

const line = z.number().int().positive().nullable();

export const Constraint = z
  .object({
    attribute: z.string(),
    operator: z.string(),
    value: z.string(),
  })
  .strict();
export type Constraint = z.infer<typeof Constraint>;

export const Affinity = Constraint.extend({ weight: z.number().nullable() }).strict();
export type Affinity = z.infer<typeof Affinity>;

/** The update stanza (job or group level); absent fields are null (Nomad's defaults apply). */
export const UpdateStanza = z
  .object({
    maxParallel: z.number().nullable(),
    canary: z.number().nullable(),
    autoRevert: z.boolean().nullable(),
    autoPromote: z.boolean().nullable(),
    healthCheck: z.string().nullable(),
    minHealthyTime: z.string().nullable(),
    healthyDeadline: z.string().nullable(),
    progressDeadline: z.string().nullable(),
    stagger: z.string().nullable(),
    line,
  })
  .strict();
export type UpdateStanza = z.infer<typeof UpdateStanza>;

export const Restart = z
  .object({ attempts: z.number().nullable(), interval: z.string().nullable(), delay: z.string().nullable(), mode: z.string().nullable() })
  .strict();
export type Restart = z.infer<typeof Restart>;

export const Port = z
  .object({
    label: z.string(),
    /** Host port fixed by the job; null for a dynamic port. */
    static: z.number().int().nullable(),
    /** Port inside the allocation (bridge mode) or the mapped container port. */
    to: z.number().int().nullable(),
    hostNetwork: z.string().nullable(),
    line,
  })
  .strict();
export type Port = z.infer<typeof Port>;

export const Network = z.object({ mode: z.string(), ports: z.array(Port), line }).strict();
export type Network = z.infer<typeof Network>;

export const Check = z
  .object({
    name: z.string().nullable(),
    type: z.string().nullable(),
    path: z.string().nullable(),
    port: z.string().nullable(),
    interval: z.string().nullable(),
    timeout: z.string().nullable(),
  })
  .strict();
export type Check = z.infer<typeof Check>;

export const Service = z
  .object({
    /** The registered name (Nomad's default `<job>-<group>[-<task>]` when the file sets none). */
    name: z.string(),
    /** The task for a task-level service; null for a group-level one. */
    task: z.string().nullable(),
    port: z.string().nullable(),
    provider: z.enum(['consul', 'nomad']),
    tags: z.array(z.string()),
    checks: z.array(Check),
    /** Consul Connect sidecar requested. */
    connect: z.boolean(),
    line,
  })
  .strict();
export type Service = z.infer<typeof Service>;

export const GroupVolume = z
  .object({
    name: z.string(),
    type: z.enum(['host', 'csi']),
    source: z.string(),
    readOnly: z.boolean(),
    perAlloc: z.boolean(),
    accessMode: z.string().nullable(),
    attachmentMode: z.string().nullable(),
    line,
  })
  .strict();
export type GroupVolume = z.infer<typeof GroupVolume>;

export const VolumeMount = z.object({ volume: z.string(), destination: z.string(), readOnly: z.boolean() }).strict();
export type VolumeMount = z.infer<typeof VolumeMount>;

/** A Docker `mount` block or a `volumes = ["src:dst[:ro]"]` entry of the task config. */
export const DockerMount = z
  .object({
    type: z.enum(['bind', 'volume', 'tmpfs']),
    /** Host path (absolute, or relative to the task directory) or the Docker volume name. */
    source: z.string(),
    target: z.string(),
    readOnly: z.boolean(),
  })
  .strict();
export type DockerMount = z.infer<typeof DockerMount>;

export const Template = z
  .object({
    destination: z.string().nullable(),
    changeMode: z.string().nullable(),
    /** Rendered into the task's environment (`env = true`). */
    env: z.boolean(),
    /** Nomad variable paths read with nomadVar / nomadVarList. */
    nomadVariables: z.array(z.string()),
    /** Vault secret paths read with `secret`. */
    vaultPaths: z.array(z.string()),
    /** Consul KV keys or prefixes read with key / keyOrDefault / ls / tree. */
    consulKeys: z.array(z.string()),
    /** Services looked up with `service` / `nomadService`. */
    services: z.array(z.string()),
    /** Digest of the template text: its content may hold secrets, so only the digest is kept. */
    digest: z.string(),
    line,
  })
  .strict();
export type Template = z.infer<typeof Template>;

export const Resources = z
  .object({ cpu: z.number().nullable(), cores: z.number().nullable(), memory: z.number().nullable(), memoryMax: z.number().nullable() })
  .strict();
export type Resources = z.infer<typeof Resources>;

export const Task = z
  .object({
    name: z.string(),
    driver: z.string(),
    /** The image (docker, podman, containerd) or null when the driver has none. */
    image: z.string().nullable(),
    imageLine: line,
    user: z.string().nullable(),
    resources: Resources,
    volumeMounts: z.array(VolumeMount),
    mounts: z.array(DockerMount),
    templates: z.array(Template),
    /** Environment variable names mapped to a digest of their value (values may be secrets). */
    env: z.record(z.string(), z.string()),
    constraints: z.array(Constraint),
    affinities: z.array(Affinity),
    restart: Restart.nullable(),
    meta: z.record(z.string(), z.string()),
    /** Lifecycle hook (`prestart`, `poststart`, `poststop`), or null for a main task. */
    lifecycle: z.string().nullable(),
    /** Digest of the rest of the driver config (args, command, devices...). */
    configDigest: z.string(),
    line,
  })
  .strict();
export type Task = z.infer<typeof Task>;

export const Group = z
  .object({
    name: z.string(),
    count: z.number().int().nullable(),
    network: Network.nullable(),
    services: z.array(Service),
    volumes: z.array(GroupVolume),
    constraints: z.array(Constraint),
    affinities: z.array(Affinity),
    update: UpdateStanza.nullable(),
    restart: Restart.nullable(),
    ephemeralDisk: z.object({ sticky: z.boolean(), migrate: z.boolean(), size: z.number().nullable() }).strict().nullable(),
    meta: z.record(z.string(), z.string()),
    tasks: z.array(Task),
    line,
  })
  .strict();
export type Group = z.infer<typeof Group>;

/** A field whose value is an HCL2 expression that cannot be resolved locally: kept, never guessed. */
export const UnresolvedExpression = z.object({ path: z.string(), expression: z.string() }).strict();
export type UnresolvedExpression = z.infer<typeof UnresolvedExpression>;

export const NomadJob = z
  .object({
    id: z.string(),
    file: z.string(),
    line,
    type: z.string(),
    namespace: z.string(),
    region: z.string().nullable(),
    datacenters: z.array(z.string()),
    nodePool: z.string().nullable(),
    priority: z.number().nullable(),
    periodic: z.object({ crons: z.array(z.string()), prohibitOverlap: z.boolean() }).strict().nullable(),
    parameterized: z.boolean(),
    constraints: z.array(Constraint),
    affinities: z.array(Affinity),
    update: UpdateStanza.nullable(),
    meta: z.record(z.string(), z.string()),
    groups: z.array(Group),
    /** HCL2 variables declared in the file. */
    variables: z.array(z.string()),
    /** Variables whose declared default was substituted (a `-var` at deploy time could differ). */
    defaultsUsed: z.array(z.string()),
    unresolved: z.array(UnresolvedExpression),
  })
  .strict();
export type NomadJob = z.infer<typeof NomadJob>;

/** A static validation finding (or a parse error) at file:line, as annotations need it. */
export const JobFinding = z
  .object({
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    message: z.string(),
    file: z.string(),
    line: z.number().int().positive(),
    column: z.number().int().positive().optional(),
    job: z.string().optional(),
  })
  .strict();
export type JobFinding = z.infer<typeof JobFinding>;
