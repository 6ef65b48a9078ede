// Normalisation of a parsed job file (hcl2json's JSON) into NomadJob models. Pure. HCL2
// variables and locals are resolved where the file gives their value, otherwise kept and listed.
import type { Group, GroupVolume, JobFinding, Network, NomadJob, Port, Service } from '../../../model/nomad-job.js';
import { childBlocks, type OutlineBlock } from '../../../model/hcl-outline.js';
import { buildScope, resolveValue } from './hcl-expressions.js';
import { normaliseAffinities, normaliseConstraints, normaliseRestart, normaliseUpdate } from './normalise-stanzas.js';
import { normaliseTask } from './normalise-task.js';
import { bodies, bool, firstBody, int, isBody, labelled, num, str, strList, strMap, type RawBody } from './raw-hcl.js';

export interface NormalisedFile {
  jobs: NomadJob[];
  /** Problems found while normalising (e.g. a file without a job block). */
  issues: JobFinding[];
}

export function normaliseJobFile(raw: Record<string, unknown>, file: string, outline: OutlineBlock[] = []): NormalisedFile {
  const scope = buildScope(raw);
  const jobs: NomadJob[] = [];
  const seen = new Map<string, number>();
  for (const [id, rawBody] of labelled(raw.job)) {
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    const jobOutline = outline.filter((b) => b.type === 'job' && b.labels[0] === id)[occurrence];
    const resolved = resolveValue(rawBody, scope, '');
    const body = isBody(resolved.value) ? resolved.value : {};
    jobs.push(normaliseJob(id, body, file, jobOutline, {
      variables: scope.variables,
      defaultsUsed: [...resolved.defaultsUsed].sort(),
      unresolved: resolved.unresolved,
    }));
  }
  const issues: JobFinding[] = [];
  if (jobs.length === 0) {
    issues.push({ severity: 'warning', code: 'no-job', message: 'matches the job globs but declares no `job` block', file, line: 1 });
  }
  return { jobs, issues };
}

type Expressions = Pick<NomadJob, 'variables' | 'defaultsUsed' | 'unresolved'>;

function normaliseJob(id: string, body: RawBody, file: string, outline: OutlineBlock | undefined, expressions: Expressions): NomadJob {
  const periodic = firstBody(body.periodic);
  const datacenters = strList(body.datacenters);
  return {
    id,
    file,
    line: outline?.line ?? null,
    type: str(body.type) ?? 'service',
    namespace: str(body.namespace) ?? 'default',
    region: str(body.region),
    // Nomad 1.5+ places a job without datacenters in every datacenter.
    datacenters: datacenters.length > 0 ? datacenters : ['*'],
    nodePool: str(body.node_pool),
    priority: num(body.priority),
    periodic: periodic
      ? { crons: [...strList(periodic.cron), ...strList(periodic.crons)], prohibitOverlap: bool(periodic.prohibit_overlap) ?? false }
      : null,
    parameterized: body.parameterized !== undefined,
    constraints: normaliseConstraints(body),
    affinities: normaliseAffinities(body),
    update: normaliseUpdate(body, childBlocks(outline, 'update')[0]?.line ?? null),
    meta: strMap(body.meta),
    groups: labelled(body.group).map(([name, g], i) =>
      normaliseGroup(id, name, g, childBlocks(outline, 'group', name)[countBefore(labelled(body.group), i, name)]),
    ),
    ...expressions,
  };
}

/** How many earlier entries share this label (to pick the matching outline block). */
function countBefore(list: Array<[string, RawBody]>, index: number, label: string): number {
  return list.slice(0, index).filter(([l]) => l === label).length;
}

function normaliseGroup(jobId: string, name: string, body: RawBody, outline: OutlineBlock | undefined): Group {
  const tasks = labelled(body.task);
  const taskOutlines = tasks.map(([t], i) => childBlocks(outline, 'task', t)[countBefore(tasks, i, t)]);
  const services: Service[] = bodies(body.service).map((s, i) =>
    normaliseService(s, `${jobId}-${name}`, null, childBlocks(outline, 'service')[i]?.line ?? null),
  );
  tasks.forEach(([taskName, t], i) => {
    bodies(t.service).forEach((s, j) =>
      services.push(normaliseService(s, `${jobId}-${name}-${taskName}`, taskName, childBlocks(taskOutlines[i], 'service')[j]?.line ?? null)),
    );
  });
  const disk = firstBody(body.ephemeral_disk);
  const count = body.count === undefined ? 1 : int(body.count);
  return {
    name,
    count,
    network: normaliseNetwork(body, tasks, outline),
    services,
    volumes: labelled(body.volume).map(([v, vb]) => normaliseVolume(v, vb, childBlocks(outline, 'volume', v)[0]?.line ?? null)),
    constraints: normaliseConstraints(body),
    affinities: normaliseAffinities(body),
    update: normaliseUpdate(body, childBlocks(outline, 'update')[0]?.line ?? null),
    restart: normaliseRestart(body),
    ephemeralDisk: disk ? { sticky: bool(disk.sticky) ?? false, migrate: bool(disk.migrate) ?? false, size: num(disk.size) } : null,
    meta: strMap(body.meta),
    tasks: tasks.map(([t, tb], i) => normaliseTask(t, tb, taskOutlines[i])),
    line: outline?.line ?? null,
  };
}

function normaliseService(s: RawBody, defaultName: string, task: string | null, line: number | null): Service {
  return {
    name: str(s.name) ?? defaultName,
    task,
    port: str(s.port),
    provider: str(s.provider) === 'nomad' ? 'nomad' : 'consul',
    tags: strList(s.tags),
    checks: bodies(s.check).map((c) => ({
      name: str(c.name),
      type: str(c.type),
      path: str(c.path),
      port: str(c.port),
      interval: str(c.interval),
      timeout: str(c.timeout),
    })),
    connect: s.connect !== undefined,
    line,
  };
}

function normaliseNetwork(body: RawBody, tasks: Array<[string, RawBody]>, outline: OutlineBlock | undefined): Network | null {
  const network = firstBody(body.network);
  const networkOutline = childBlocks(outline, 'network')[0];
  if (network) {
    return {
      mode: str(network.mode) ?? 'host',
      ports: normalisePorts(network, networkOutline),
      line: networkOutline?.line ?? null,
    };
  }
  // Before Nomad 0.12 ports were declared per task under resources { network { ... } }.
  const legacy = tasks.flatMap(([, t]) => bodies(firstBody(t.resources)?.network).flatMap((n) => normalisePorts(n, undefined)));
  return legacy.length > 0 ? { mode: 'host', ports: legacy, line: null } : null;
}

function normalisePorts(network: RawBody, outline: OutlineBlock | undefined): Port[] {
  const ports: Port[] = labelled(network.port).map(([label, p]) => ({
    label,
    static: int(p.static),
    to: int(p.to),
    hostNetwork: str(p.host_network),
    line: childBlocks(outline, 'port', label)[0]?.line ?? null,
  }));
  for (const p of bodies(network.reserved_ports)) {
    const label = str(p.label) ?? 'reserved';
    ports.push({ label, static: int(p.value), to: null, hostNetwork: null, line: null });
  }
  return ports;
}

function normaliseVolume(name: string, v: RawBody, line: number | null): GroupVolume {
  return {
    name,
    type: str(v.type) === 'csi' ? 'csi' : 'host',
    source: str(v.source) ?? '',
    readOnly: bool(v.read_only) ?? false,
    perAlloc: bool(v.per_alloc) ?? false,
    accessMode: str(v.access_mode),
    attachmentMode: str(v.attachment_mode),
    line,
  };
}
