// The simulator's job endpoints behind the HTTP layer: validate, plan, register (with
// EnforceIndex checked the way Nomad checks it), revert; each write creates an evaluation and
// hands the change to the rollout.
import { SimError, type ClusterState } from './cluster-state.js';
import type { ApiJob } from './hcl-to-job.js';
import type { Body } from './hcl-values.js';
import { desiredUpdates, groupsOf, planJobChange, tasksOf } from './plan-updates.js';
import { applyRollout, stopAlloc, stopAndReplaceAlloc } from './rollout.js';

/** Nomad keeps this many versions of a job. */
const TRACKED_VERSIONS = 6;
const JOB_TYPES = new Set(['service', 'batch', 'system', 'sysbatch']);
/** Server-managed fields stripped from a submitted or reverted job. */
const SERVER_FIELDS = ['Version', 'Stable', 'Status', 'StatusDescription', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'SubmitTime', 'Stop'];

export class Scheduler {
  private readonly failNext = new Set<string>();

  constructor(
    private readonly state: ClusterState,
    private readonly placeDelayMs: number,
  ) {}

  /** Fault injection: the next rollout of `jobId` has allocations that fail their checks. */
  failNextDeployment(jobId: string): void {
    this.failNext.add(jobId);
  }

  validate(job: Body): string[] {
    const errors: string[] = [];
    const id = typeof job.ID === 'string' ? job.ID : '';
    if (!id) errors.push('Missing job ID');
    else if (/\s/.test(id)) errors.push('Job ID contains a space');
    if (job.Type !== undefined && !JOB_TYPES.has(String(job.Type))) errors.push(`Invalid job type: ${String(job.Type)}`);
    if (!Array.isArray(job.Datacenters) || job.Datacenters.length === 0) errors.push('Missing job datacenters');
    const groups = groupsOf(job);
    if (groups.length === 0) errors.push('Missing job task groups');
    const seen = new Set<string>();
    for (const group of groups) {
      const name = String(group.Name ?? '');
      if (seen.has(name)) errors.push(`Job task group ${name} redefined`);
      seen.add(name);
      if (Number(group.Count ?? 0) < 0) errors.push(`Task group ${name} count can't be negative`);
      if (tasksOf(group).length === 0) errors.push(`Task group ${name} missing tasks`);
      for (const task of tasksOf(group)) {
        if (!task.Driver) errors.push(`Task group ${name}: task ${String(task.Name)} missing driver`);
        const memory = Number((task.Resources as Body | undefined)?.MemoryMB ?? 300);
        if (memory < 10) errors.push(`Task group ${name}: task ${String(task.Name)}: minimum MemoryMB value is 10; got ${memory}`);
      }
    }
    return errors;
  }

  plan(submitted: Body): Body {
    this.state.requireLeader('nomad');
    const job = this.checked(submitted);
    const existing = this.state.currentJob(job.ID);
    const change = this.changeOf(existing, job);
    const failed: Record<string, Body> = {};
    for (const g of change.groups) {
      const group = groupsOf(job).find((x) => x.Name === g.name);
      if (group && g.place + g.destructive + g.canary > 0) {
        const metric = this.infeasible(job, group, g.place + g.destructive + g.canary);
        if (metric) failed[g.name] = metric;
      }
    }
    return {
      Annotations: { DesiredTGUpdates: Object.fromEntries(change.groups.map((g) => [g.name, desiredUpdates(g)])), PreemptedAllocs: [] },
      Diff: change.diff,
      FailedTGAllocs: failed,
      JobModifyIndex: existing?.JobModifyIndex ?? 0,
      CreatedEvals: [],
      Warnings: '',
    };
  }

  register(submitted: Body, enforce?: { jobModifyIndex: number }, options: { instant?: boolean } = {}): Body {
    this.state.requireLeader('nomad');
    const job = this.checked(submitted);
    const existing = this.state.currentJob(job.ID);
    if (enforce) this.enforceIndex(existing, enforce.jobModifyIndex);
    const change = this.changeOf(existing, job);
    const index = this.state.write('jobs', 'evals');
    let stored: ApiJob;
    if (!existing || change.specChanged) {
      stored = { ...job, Stop: false, Status: 'running', StatusDescription: '', Version: existing ? Number(existing.Version) + 1 : 0, Stable: false, CreateIndex: existing?.CreateIndex ?? index, ModifyIndex: index, JobModifyIndex: index, SubmitTime: this.state.nowNs() };
      const record = this.state.jobs.get(job.ID) ?? { versions: [] };
      record.versions.push(stored);
      if (record.versions.length > TRACKED_VERSIONS) record.versions.splice(0, record.versions.length - TRACKED_VERSIONS);
      this.state.jobs.set(job.ID, record);
    } else {
      stored = existing;
      stored.ModifyIndex = index;
    }
    const evaluation = this.completedEvaluation(stored, 'job-register', index);
    if (change.specChanged) {
      const healthy = !this.failNext.delete(job.ID);
      applyRollout({ state: this.state, placeDelayMs: this.placeDelayMs, revertTo: (id, version) => this.autoRevert(id, version) }, stored, change, evaluation, { healthy, instant: options.instant });
    }
    return { EvalID: evaluation.ID, EvalCreateIndex: index, JobModifyIndex: stored.JobModifyIndex, Warnings: '', KnownLeader: true, LastContact: 0, LastIndex: index };
  }

  /** `DELETE /v1/job/:id` without purge: the job is stopped (kept, `Stop: true`), its allocations too. */
  deregister(jobId: string): Body {
    this.state.requireLeader('nomad');
    const job = this.state.currentJob(jobId);
    if (!job) throw new SimError(404, 'job not found');
    const index = this.state.write('jobs', 'evals', 'allocs');
    Object.assign(job, { Stop: true, Status: 'dead', ModifyIndex: index, JobModifyIndex: index });
    for (const alloc of this.state.liveAllocs(jobId)) stopAlloc(this.state, alloc, index, 'alloc not needed since job is stopped');
    const evaluation = this.completedEvaluation(job, 'job-deregister', index);
    return { EvalID: evaluation.ID, EvalCreateIndex: index, JobModifyIndex: index, KnownLeader: true, LastContact: 0, LastIndex: index };
  }

  revert(jobId: string, version: number, enforcePriorVersion?: number): Body {
    this.state.requireLeader('nomad');
    const record = this.state.jobs.get(jobId);
    if (!record) throw new SimError(404, 'job not found');
    const current = record.versions.at(-1)!;
    if (enforcePriorVersion !== undefined && current.Version !== enforcePriorVersion) {
      throw new SimError(500, `Current job version ${String(current.Version)} does not match enforced prior version ${enforcePriorVersion}`);
    }
    if (current.Version === version) throw new SimError(400, `can't revert to current version`);
    const target = record.versions.find((v) => v.Version === version);
    if (!target) throw new SimError(404, `job ${jobId} at version ${version} not found`);
    return this.register(structuredClone(target));
  }

  /** `POST /v1/allocation/:id/stop`: stops one allocation; the scheduler places its replacement. */
  stopAllocation(allocId: string): Body {
    this.state.requireLeader('nomad');
    const alloc = this.state.allocs.get(allocId);
    if (!alloc) throw new SimError(404, 'alloc not found');
    const job = this.state.currentJob(String(alloc.wire.JobID));
    if (!job) throw new SimError(404, 'job not found');
    const index = this.state.write('evals');
    const evaluation = this.completedEvaluation(job, 'alloc-stop', index);
    stopAndReplaceAlloc({ state: this.state, placeDelayMs: this.placeDelayMs, revertTo: (id, version) => this.autoRevert(id, version) }, alloc, evaluation);
    return { EvalID: evaluation.ID, Index: this.state.index };
  }

  /** Auto-revert runs from a timer: without a leader it cannot write, and Nomad would retry later. */
  private autoRevert(jobId: string, version: number): void {
    try {
      this.revert(jobId, version);
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
    }
  }

  /** The scheduler's evaluation of a register or deregister: complete at once in the simulator. */
  private completedEvaluation(job: ApiJob, triggeredBy: string, index: number): Body {
    const evaluation: Body = {
      ID: this.state.newId(),
      Namespace: job.Namespace,
      Priority: job.Priority,
      Type: job.Type,
      TriggeredBy: triggeredBy,
      JobID: job.ID,
      JobModifyIndex: job.JobModifyIndex,
      Status: 'complete',
      StatusDescription: '',
      CreateIndex: index,
      ModifyIndex: index,
      CreateTime: this.state.nowNs(),
      ModifyTime: this.state.nowNs(),
    };
    this.state.evals.set(String(evaluation.ID), evaluation);
    return evaluation;
  }

  private checked(submitted: Body): ApiJob {
    const errors = this.validate(submitted);
    if (errors.length) throw new SimError(400, `${errors.length} error${errors.length === 1 ? '' : 's'} occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}`);
    const job = structuredClone(submitted) as ApiJob;
    for (const field of SERVER_FIELDS) delete job[field];
    return job;
  }

  /** Nomad's own EnforceIndex messages (it answers them with HTTP 500). */
  private enforceIndex(existing: ApiJob | undefined, expected: number): void {
    const prefix = 'Enforcing job modify index';
    if (!existing && expected !== 0) throw new SimError(500, `${prefix} ${expected}: job does not exist`);
    if (existing && expected === 0) throw new SimError(500, `${prefix} 0: job already exists`);
    if (existing && existing.JobModifyIndex !== expected) {
      throw new SimError(500, `${prefix} ${expected}: job exists with conflicting job modify index: ${String(existing.JobModifyIndex)}`);
    }
  }

  /**
   * The change a register makes. Like Nomad's reconciler, an in-place update is only in place on a
   * node the new job may still use: an allocation on a node outside the job's (new) datacenters
   * must be replaced, and its replacement has to be placed like any other (it may not fit).
   */
  private changeOf(existing: ApiJob | undefined, job: Body) {
    const change = planJobChange(existing, job, this.running(existing), (g) => this.countFor(job, g));
    if (!existing) return change;
    const usable = new Set(this.eligibleNodes(job).map((n) => n.id));
    for (const g of change.groups) {
      if (g.inPlace === 0) continue;
      const stranded = this.state.liveAllocs(existing.ID).filter((a) => String(a.wire.TaskGroup) === g.name && !usable.has(String(a.wire.NodeID))).length;
      const moved = Math.min(stranded, g.inPlace);
      g.inPlace -= moved;
      g.destructive += moved;
    }
    return change;
  }

  private running(job: ApiJob | undefined): Record<string, number> {
    const counts: Record<string, number> = {};
    if (job) for (const a of this.state.liveAllocs(job.ID)) counts[String(a.wire.TaskGroup)] = (counts[String(a.wire.TaskGroup)] ?? 0) + 1;
    return counts;
  }

  private countFor(job: Body, group: Body): number {
    if (job.Type === 'system' || job.Type === 'sysbatch') return this.eligibleNodes(job).length;
    return Number(group.Count ?? 1);
  }

  private eligibleNodes(job: Body) {
    const datacenters = (job.Datacenters as string[] | undefined) ?? ['*'];
    return this.state.readyNodes().filter((n) => datacenters.some((dc) => dc === '*' || dc === n.datacenter));
  }

  /** An AllocationMetric when no eligible node could ever hold one allocation of the group. */
  private infeasible(job: Body, group: Body, wanted: number): Body | undefined {
    const nodes = this.eligibleNodes(job);
    const cpu = tasksOf(group).reduce((sum, t) => sum + Number((t.Resources as Body | undefined)?.CPU ?? 0), 0);
    const memory = tasksOf(group).reduce((sum, t) => sum + Number((t.Resources as Body | undefined)?.MemoryMB ?? 0), 0);
    const fits = nodes.filter((n) => n.cpu >= cpu && n.memoryMB >= memory);
    if (nodes.length > 0 && fits.length > 0) return undefined;
    const dimension = nodes.some((n) => n.memoryMB < memory) ? 'memory' : 'cpu';
    return {
      NodesEvaluated: nodes.length,
      NodesFiltered: 0,
      NodesExhausted: nodes.length,
      NodesAvailable: Object.fromEntries([...new Set(this.state.nodes.map((n) => n.datacenter))].map((dc) => [dc, this.state.readyNodes().filter((n) => n.datacenter === dc).length])),
      DimensionExhausted: nodes.length ? { [dimension]: nodes.length } : {},
      ConstraintFiltered: {},
      CoalescedFailures: Math.max(0, wanted - 1),
    };
  }
}
