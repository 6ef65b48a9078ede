// The simulator's `/v1/jobs/parse`: a job file (HCL2) into Nomad's API JSON, canonicalized with
// Nomad's defaults. Variables resolve from their defaults only; other expressions stay as text.
import { parse } from '@cdktn/hcl2json';
import { buildAffinities, buildConstraints, buildService, buildSpreads, buildTask } from './hcl-task.js';
import {
  block,
  blocks,
  bool,
  compact,
  durationNs,
  HOUR_NS,
  isBody,
  JobParseError,
  labelled,
  MINUTE_NS,
  num,
  SECOND_NS,
  str,
  stringMap,
  strings,
  type Body,
} from './hcl-values.js';

export type ApiJob = Body & { ID: string };

export async function parseJobHcl(source: string, filename = 'input.hcl'): Promise<ApiJob> {
  let tree: Body;
  try {
    tree = await parse(filename, source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new JobParseError(message.replace(/^parse config: \[/, '').replace(/\]$/, ''));
  }
  const variables = new Map<string, unknown>();
  for (const [name, body] of labelled(tree, 'variable')) variables.set(name, body.default);
  const jobs = labelled(tree, 'job');
  if (jobs.length !== 1) throw new JobParseError(`expected exactly one job block, found ${jobs.length}`);
  const [id, body] = jobs[0]!;
  return buildJob(id, resolveVariables(body, variables) as Body);
}

/** Replaces `${var.name}` with the variable's default; a variable without one is an error, as in Nomad. */
function resolveVariables(value: unknown, variables: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(value);
    if (whole) return variableValue(whole[1]!, variables);
    return value.replace(/\$\{var\.([A-Za-z0-9_-]+)\}/g, (_, name: string) => String(variableValue(name, variables)));
  }
  if (Array.isArray(value)) return value.map((v) => resolveVariables(v, variables));
  if (isBody(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveVariables(v, variables)]));
  return value;
}

function variableValue(name: string, variables: Map<string, unknown>): unknown {
  if (!variables.has(name)) throw new JobParseError(`Unknown variable: there is no variable named "${name}"`);
  const value = variables.get(name);
  if (value === undefined) throw new JobParseError(`Unset variable "${name}": a value is required for this variable`);
  return value;
}

function buildJob(id: string, body: Body): ApiJob {
  const type = str(body, 'type') ?? 'service';
  const jobUpdate = block(body, 'update');
  const periodic = block(body, 'periodic');
  const parameterized = block(body, 'parameterized');
  const groups = labelled(body, 'group');
  if (groups.length === 0) throw new JobParseError(`job "${id}": at least one group is required`);
  return compact({
    ID: id,
    Name: str(body, 'name') ?? id,
    Namespace: str(body, 'namespace') ?? 'default',
    Region: str(body, 'region') ?? 'global',
    Type: type,
    Priority: num(body, 'priority') ?? 50,
    AllAtOnce: bool(body, 'all_at_once') ?? false,
    Datacenters: strings(body, 'datacenters') ?? ['*'],
    Meta: stringMap(body, 'meta'),
    Constraints: buildConstraints(body),
    Affinities: buildAffinities(body),
    Spreads: buildSpreads(body),
    Update: type === 'service' || type === 'system' ? buildUpdate(jobUpdate) : undefined,
    Periodic: periodic
      ? compact({ Enabled: bool(periodic, 'enabled') ?? true, SpecType: 'cron', Spec: strings(periodic, 'crons')?.[0] ?? str(periodic, 'cron'), ProhibitOverlap: bool(periodic, 'prohibit_overlap') ?? false, TimeZone: str(periodic, 'time_zone') ?? 'UTC' })
      : undefined,
    ParameterizedJob: parameterized
      ? compact({ Payload: str(parameterized, 'payload') ?? 'optional', MetaRequired: strings(parameterized, 'meta_required'), MetaOptional: strings(parameterized, 'meta_optional') })
      : undefined,
    TaskGroups: groups.map(([name, g]) => buildGroup(name, g, { id, type, jobUpdate })),
  }) as ApiJob;
}

function buildGroup(name: string, body: Body, job: { id: string; type: string; jobUpdate: Body | undefined }): Body {
  const tasks = labelled(body, 'task');
  if (tasks.length === 0) throw new JobParseError(`group "${name}": at least one task is required`);
  const restart = block(body, 'restart') ?? {};
  const disk = block(body, 'ephemeral_disk') ?? {};
  const batch = job.type === 'batch' || job.type === 'sysbatch';
  const volumes = labelled(body, 'volume');
  return compact({
    Name: name,
    Count: num(body, 'count') ?? 1,
    Meta: stringMap(body, 'meta'),
    Constraints: buildConstraints(body),
    Affinities: buildAffinities(body),
    Spreads: buildSpreads(body),
    // A group's update block overrides the job's, field by field, over Nomad's defaults.
    Update: job.type === 'service' || job.type === 'system' ? buildUpdate(job.jobUpdate, block(body, 'update')) : undefined,
    RestartPolicy: {
      Attempts: num(restart, 'attempts') ?? (batch ? 3 : 2),
      Interval: durationNs(restart, 'interval') ?? (batch ? 24 * HOUR_NS : 30 * MINUTE_NS),
      Delay: durationNs(restart, 'delay') ?? 15 * SECOND_NS,
      Mode: str(restart, 'mode') ?? 'fail',
    },
    EphemeralDisk: { SizeMB: num(disk, 'size') ?? 300, Sticky: bool(disk, 'sticky') ?? false, Migrate: bool(disk, 'migrate') ?? false },
    Networks: blocks(body, 'network').map(buildNetwork),
    Services: blocks(body, 'service').map((s) => buildService(s, { job: job.id, group: name })),
    Volumes: volumes.length
      ? Object.fromEntries(volumes.map(([label, v]) => [label, compact({ Name: label, Type: str(v, 'type') ?? 'host', Source: str(v, 'source'), ReadOnly: bool(v, 'read_only') ?? false, PerAlloc: bool(v, 'per_alloc') })]))
      : undefined,
    ShutdownDelay: durationNs(body, 'shutdown_delay'),
    Tasks: tasks.map(([taskName, t]) => buildTask(taskName, t, { job: job.id, group: name })),
  });
}

function buildUpdate(...layers: Array<Body | undefined>): Body {
  const merged: Body = Object.assign({}, ...layers.filter(Boolean));
  return {
    Stagger: durationNs(merged, 'stagger') ?? 30 * SECOND_NS,
    MaxParallel: num(merged, 'max_parallel') ?? 1,
    HealthCheck: str(merged, 'health_check') ?? 'checks',
    MinHealthyTime: durationNs(merged, 'min_healthy_time') ?? 10 * SECOND_NS,
    HealthyDeadline: durationNs(merged, 'healthy_deadline') ?? 5 * MINUTE_NS,
    ProgressDeadline: durationNs(merged, 'progress_deadline') ?? 10 * MINUTE_NS,
    AutoRevert: bool(merged, 'auto_revert') ?? false,
    AutoPromote: bool(merged, 'auto_promote') ?? false,
    Canary: num(merged, 'canary') ?? 0,
  };
}

function buildNetwork(body: Body): Body {
  const ports = labelled(body, 'port');
  const port = (label: string, p: Body) => compact({ Label: label, Value: num(p, 'static') ?? 0, To: num(p, 'to') ?? 0, HostNetwork: str(p, 'host_network') ?? 'default' });
  return compact({
    Mode: str(body, 'mode') ?? 'host',
    Hostname: str(body, 'hostname'),
    ReservedPorts: ports.filter(([, p]) => p.static !== undefined).map(([label, p]) => port(label, p)),
    DynamicPorts: ports.filter(([, p]) => p.static === undefined).map(([label, p]) => port(label, p)),
  });
}
