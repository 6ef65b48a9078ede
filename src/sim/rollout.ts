// How a registered job version rolls out in the simulator: allocations stopped, updated in place
// or placed; a deployment whose allocations start after `placeDelayMs` and report health after
// the group's min_healthy_time (on the simulator's clock); failure and auto-revert.
import type { AllocRecord, ClusterState, NodeRecord } from './cluster-state.js';
import type { ApiJob } from './hcl-to-job.js';
import type { Body } from './hcl-values.js';
import { groupsOf, tasksOf, type JobChangePlan } from './plan-updates.js';

export interface RolloutContext {
  state: ClusterState;
  placeDelayMs: number;
  /** Re-registers an earlier version as the newest one (Nomad's revert). */
  revertTo(jobId: string, version: number): void;
}

export interface RolloutOptions {
  /** Scenario seeding: everything runs and is healthy at once. */
  instant?: boolean;
  /** False when a fault says this rollout's allocations fail their checks. */
  healthy: boolean;
}

export function applyRollout(ctx: RolloutContext, job: ApiJob, change: JobChangePlan, evaluation: Body, options: RolloutOptions): void {
  const { state } = ctx;
  const index = state.write('allocs', 'deployment', 'evals', 'services');
  for (const d of state.deployments.values()) {
    if (d.JobID === job.ID && d.Status === 'running') Object.assign(d, { Status: 'cancelled', StatusDescription: 'Cancelled due to newer version of job', ModifyIndex: index });
  }
  const deploymentId = job.Type === 'service' ? state.newId() : undefined;
  const tracked: AllocRecord[] = [];
  const placed: AllocRecord[] = [];
  const deploymentGroups: Record<string, Body> = {};
  const failures: Record<string, number> = {};
  for (const g of change.groups) {
    const group = groupsOf(job).find((x) => x.Name === g.name);
    const live = state.liveAllocs(job.ID, g.name).sort((a, b) => String(a.wire.Name).localeCompare(String(b.wire.Name), undefined, { numeric: true }));
    const stopped = live.slice(live.length - g.stop);
    for (const a of stopped) stopAlloc(state, a, index, 'alloc not needed due to job update');
    const kept = live.slice(0, live.length - g.stop);
    if (!group) continue;
    const replace = g.destructive + g.canary > 0;
    for (const a of kept) {
      if (replace) {
        // Like Nomad, a destructive update only stops the old allocation when a replacement fits.
        const replacement = newAlloc(state, job, group, String(a.wire.Name), evaluation, deploymentId, index, a);
        if (!replacement) {
          failures[g.name] = (failures[g.name] ?? 0) + 1;
          continue;
        }
        stopAlloc(state, a, index, 'alloc is being updated due to job update');
        placed.push(replacement);
      } else if (g.inPlace > 0) {
        Object.assign(a.wire, { JobVersion: job.Version, ModifyIndex: index, ModifyTime: state.nowNs() });
        a.services = servicesOf(state, group, a.services);
        if (deploymentId) {
          a.deploymentId = deploymentId;
          a.wire.DeploymentStatus = { Canary: false, ModifyIndex: index };
          tracked.push(a);
        }
      }
    }
    const used = new Set(state.liveAllocs(job.ID, g.name).map((a) => String(a.wire.Name)));
    for (let i = 0, added = 0; added < g.place; i++) {
      const name = `${job.ID}.${g.name}[${i}]`;
      if (used.has(name)) continue;
      const alloc = newAlloc(state, job, group, name, evaluation, deploymentId, index);
      added++;
      if (alloc) placed.push(alloc);
      else failures[g.name] = (failures[g.name] ?? 0) + 1;
    }
    const update = (group.Update as Body | undefined) ?? {};
    deploymentGroups[g.name] = {
      AutoRevert: Boolean(update.AutoRevert),
      Promoted: false,
      PlacedCanaries: [],
      DesiredCanaries: g.canary,
      DesiredTotal: g.count,
      PlacedAllocs: tracked.filter((a) => a.wire.TaskGroup === g.name).length + placed.filter((a) => a.wire.TaskGroup === g.name).length,
      HealthyAllocs: 0,
      UnhealthyAllocs: 0,
      ProgressDeadline: Number(update.ProgressDeadline ?? 0),
      RequireProgressBy: new Date(state.clock.now() + Number(update.ProgressDeadline ?? 0) / 1e6).toISOString(),
    };
  }
  if (deploymentId) {
    tracked.push(...placed);
    state.deployments.set(deploymentId, {
      ID: deploymentId,
      Namespace: job.Namespace,
      JobID: job.ID,
      JobVersion: job.Version,
      JobModifyIndex: job.JobModifyIndex,
      JobSpecModifyIndex: job.JobModifyIndex,
      JobCreateIndex: job.CreateIndex,
      IsMultiregion: false,
      Status: 'running',
      StatusDescription: 'Deployment is running',
      TaskGroups: deploymentGroups,
      CreateIndex: index,
      ModifyIndex: index,
    });
    evaluation.DeploymentID = deploymentId;
    const deadlineMs = Math.max(...Object.values(deploymentGroups).map((g) => Number(g.ProgressDeadline) / 1e6), 0);
    if (deadlineMs > 0) state.clock.after(deadlineMs, () => progressDeadline(ctx, deploymentId));
  }
  if (Object.keys(failures).length > 0) {
    const nodes = state.readyNodes().length;
    evaluation.FailedTGAllocs = Object.fromEntries(
      Object.entries(failures).map(([group, n]) => [group, { NodesEvaluated: nodes, NodesExhausted: nodes, DimensionExhausted: nodes ? { memory: nodes } : {}, CoalescedFailures: n - 1 }]),
    );
  }
  const minHealthyMs = (a: AllocRecord) => Number(((groupsOf(job).find((x) => x.Name === a.wire.TaskGroup)?.Update as Body | undefined)?.MinHealthyTime ?? 0)) / 1e6;
  for (const a of placed) {
    const start = () => startAlloc(state, a, options.healthy, job.Type === 'batch' || job.Type === 'sysbatch');
    const decide = () => {
      if (deploymentId) decideHealth(ctx, a, deploymentId);
    };
    if (options.instant) {
      start();
      decide();
    } else
      state.clock.after(ctx.placeDelayMs, () => {
        start();
        if (deploymentId) state.clock.after(minHealthyMs(a), decide);
      });
  }
  for (const a of tracked.filter((x) => !placed.includes(x))) {
    a.checksPassing = options.healthy;
    if (options.instant) decideHealth(ctx, a, deploymentId!);
    else state.clock.after(minHealthyMs(a), () => decideHealth(ctx, a, deploymentId!));
  }
  // Nothing to wait for (e.g. only stops): done at once, unless placements failed (then the progress deadline decides).
  if (deploymentId && tracked.length === 0 && Object.keys(failures).length === 0) finishDeployment(state, deploymentId, index);
}

/**
 * `POST /v1/allocation/:id/stop`: the allocation stops and the scheduler places a replacement
 * (same name, same job version), which starts after `placeDelayMs` with passing checks.
 */
export function stopAndReplaceAlloc(ctx: RolloutContext, a: AllocRecord, evaluation: Body): AllocRecord | undefined {
  const { state } = ctx;
  const job = state.jobs.get(String(a.wire.JobID))?.versions.find((v) => v.Version === a.wire.JobVersion);
  const group = job ? groupsOf(job).find((g) => g.Name === a.wire.TaskGroup) : undefined;
  const index = state.write('allocs', 'evals', 'services');
  stopAlloc(state, a, index, 'alloc was stopped by a user');
  if (!job || !group) return undefined;
  const replacement = newAlloc(state, job, group, String(a.wire.Name), evaluation, undefined, index, a);
  if (replacement) state.clock.after(ctx.placeDelayMs, () => startAlloc(state, replacement, true, job.Type === 'batch' || job.Type === 'sysbatch'));
  return replacement;
}

export function stopAlloc(state: ClusterState, a: AllocRecord, index: number, why: string): void {
  Object.assign(a.wire, { DesiredStatus: 'stop', DesiredDescription: why, ClientStatus: 'complete', ClientDescription: 'All tasks have completed', ModifyIndex: index, ModifyTime: state.nowNs() });
  for (const task of Object.values(a.wire.TaskStates as Record<string, Body>)) Object.assign(task, { State: 'dead', FinishedAt: state.nowIso() });
}

/** A new pending allocation on a fitting node, or undefined when no node can take it. */
function newAlloc(state: ClusterState, job: ApiJob, group: Body, name: string, evaluation: Body, deploymentId: string | undefined, index: number, previous?: AllocRecord): AllocRecord | undefined {
  const cpu = tasksOf(group).reduce((sum, t) => sum + Number((t.Resources as Body | undefined)?.CPU ?? 0), 0);
  const memoryMB = tasksOf(group).reduce((sum, t) => sum + Number((t.Resources as Body | undefined)?.MemoryMB ?? 0), 0);
  const node = pickNode(state, job, String(group.Name), memoryMB);
  if (!node) return undefined;
  const id = state.newId();
  if (previous) previous.nextAllocation = id;
  const record: AllocRecord = {
    wire: {
      ID: id,
      EvalID: evaluation.ID,
      Name: name,
      Namespace: job.Namespace,
      NodeID: node.id,
      NodeName: node.name,
      JobID: job.ID,
      JobType: job.Type,
      JobVersion: job.Version,
      TaskGroup: group.Name,
      DesiredStatus: 'run',
      DesiredDescription: '',
      ClientStatus: 'pending',
      ClientDescription: 'No tasks have started',
      ...(deploymentId ? { DeploymentStatus: { Canary: false, ModifyIndex: index } } : {}),
      TaskStates: Object.fromEntries(tasksOf(group).map((t) => [t.Name, { State: 'pending', Failed: false, Restarts: 0, Events: [] }])),
      CreateIndex: index,
      ModifyIndex: index,
      CreateTime: state.nowNs(),
      ModifyTime: state.nowNs(),
    },
    ...(deploymentId ? { deploymentId } : {}),
    ...(previous ? { previousAllocation: String(previous.wire.ID) } : {}),
    checksPassing: false,
    services: servicesOf(state, group),
    cpu,
    memoryMB,
  };
  state.allocs.set(id, record);
  return record;
}

/** The Consul registrations of an allocation: group and task services, with their ports. */
function servicesOf(state: ClusterState, group: Body, previous: AllocRecord['services'] = []): AllocRecord['services'] {
  const ports = new Map<string, number>();
  for (const network of (group.Networks as Body[] | undefined) ?? []) {
    for (const p of (network.ReservedPorts as Body[] | undefined) ?? []) ports.set(String(p.Label), Number(p.Value));
    for (const p of (network.DynamicPorts as Body[] | undefined) ?? []) ports.set(String(p.Label), state.nextPort());
  }
  const services = [...((group.Services as Body[] | undefined) ?? []), ...tasksOf(group).flatMap((t) => (t.Services as Body[] | undefined) ?? [])];
  // An in-place update keeps the allocation's ports.
  return services.map((s) => ({
    name: String(s.Name),
    tags: ((s.Tags as string[] | undefined) ?? []).map(String),
    port: previous.find((p) => p.name === s.Name)?.port ?? ports.get(String(s.PortLabel)) ?? (Number.isInteger(Number(s.PortLabel)) ? Number(s.PortLabel) : 0),
    checks: ((s.Checks as Body[] | undefined) ?? []).map((c) => String(c.Name)),
  }));
}

/** Spreads a group's allocations over nodes (Nomad's job anti-affinity), then least memory used; a system job gets one per node. */
function pickNode(state: ClusterState, job: ApiJob, group: string, memoryMB: number): NodeRecord | undefined {
  const datacenters = (job.Datacenters as string[] | undefined) ?? ['*'];
  const live = state.liveAllocs(job.ID, group);
  const usage = (n: NodeRecord) => [...state.allocs.values()].filter((a) => a.wire.NodeID === n.id && a.wire.DesiredStatus === 'run').reduce((sum, a) => sum + a.memoryMB, 0);
  const siblings = (n: NodeRecord) => live.filter((a) => a.wire.NodeID === n.id).length;
  const candidates = state
    .readyNodes()
    .filter((n) => datacenters.some((dc) => dc === '*' || dc === n.datacenter))
    .filter((n) => (job.Type !== 'system' && job.Type !== 'sysbatch') || siblings(n) === 0)
    .map((n) => ({ n, used: usage(n), siblings: siblings(n) }))
    .sort((a, b) => a.siblings - b.siblings || a.used - b.used || a.n.name.localeCompare(b.n.name));
  return candidates.find((c) => c.n.memoryMB - c.used >= memoryMB)?.n;
}

function startAlloc(state: ClusterState, a: AllocRecord, healthy: boolean, batch: boolean): void {
  if (a.wire.DesiredStatus !== 'run') return;
  const index = state.write('allocs', 'services');
  a.checksPassing = healthy;
  Object.assign(a.wire, { ClientStatus: 'running', ClientDescription: 'Tasks are running', ModifyIndex: index, ModifyTime: state.nowNs() });
  for (const task of Object.values(a.wire.TaskStates as Record<string, Body>)) Object.assign(task, { State: 'running', StartedAt: state.nowIso() });
  if (batch) Object.assign(a.wire, { ClientStatus: 'complete', ClientDescription: 'All tasks have completed' });
}

function decideHealth(ctx: RolloutContext, a: AllocRecord, deploymentId: string): void {
  const { state } = ctx;
  const deployment = state.deployments.get(deploymentId);
  if (!deployment || a.deploymentId !== deploymentId || a.wire.DesiredStatus !== 'run') return;
  const index = state.write('allocs', 'deployment');
  const healthy = a.checksPassing;
  a.wire.DeploymentStatus = { Healthy: healthy, Timestamp: state.nowIso(), Canary: false, ModifyIndex: index };
  a.wire.ModifyIndex = index;
  if (deployment.Status !== 'running') return;
  const group = (deployment.TaskGroups as Record<string, Body>)[String(a.wire.TaskGroup)]!;
  group[healthy ? 'HealthyAllocs' : 'UnhealthyAllocs'] = Number(group[healthy ? 'HealthyAllocs' : 'UnhealthyAllocs']) + 1;
  deployment.ModifyIndex = index;
  if (!healthy) return failDeployment(ctx, deployment, index);
  const groups = Object.values(deployment.TaskGroups as Record<string, Body>);
  if (groups.every((g) => Number(g.HealthyAllocs) >= Number(g.DesiredTotal))) finishDeployment(state, deploymentId, index);
}

function finishDeployment(state: ClusterState, deploymentId: string, index: number): void {
  const deployment = state.deployments.get(deploymentId)!;
  Object.assign(deployment, { Status: 'successful', StatusDescription: 'Deployment completed successfully', ModifyIndex: index });
  const version = state.jobs.get(String(deployment.JobID))?.versions.find((v) => v.Version === deployment.JobVersion);
  if (version) {
    state.write('jobs');
    Object.assign(version, { Stable: true, ModifyIndex: state.index });
  }
}

/** A deployment still running at its progress deadline fails (allocations never became healthy). */
function progressDeadline(ctx: RolloutContext, deploymentId: string): void {
  const deployment = ctx.state.deployments.get(deploymentId);
  if (deployment?.Status === 'running') failDeployment(ctx, deployment, ctx.state.write('deployment'), 'Failed due to progress deadline');
}

function failDeployment(ctx: RolloutContext, deployment: Body, index: number, reason = 'Failed due to unhealthy allocations'): void {
  const versions = ctx.state.jobs.get(String(deployment.JobID))?.versions ?? [];
  const autoRevert = Object.values(deployment.TaskGroups as Record<string, Body>).some((g) => g.AutoRevert === true);
  const stable = versions.filter((v) => v.Stable === true && Number(v.Version) < Number(deployment.JobVersion)).at(-1);
  let description = reason;
  if (autoRevert) description += stable ? ` - rolling back to job version ${stable.Version}` : ' - no stable job version to auto revert to';
  Object.assign(deployment, { Status: 'failed', StatusDescription: description, ModifyIndex: index });
  if (autoRevert && stable) ctx.revertTo(String(deployment.JobID), Number(stable.Version));
}
