// The Nomad HTTP API client: implements NomadPort on ApiClient (token, namespace, region, TLS,
// blocking queries, retries) and maps Nomad's wire shapes to the port's types.
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import type {
  BlockingQuery,
  Indexed,
  NomadAllocation,
  NomadDeployment,
  NomadJobSpec,
  NomadPort,
  RegisterOutcome,
} from '../../ports/nomad.js';
import { ApiClient, type ApiClientOptions } from './api-client.js';
import { buildJobPlan } from './plan-mapping.js';
import {
  AllocationStubWire,
  DeploymentWire,
  EvaluationWire,
  JobSpecWire,
  JobStubWire,
  JobVersionsWire,
  NodeStubWire,
  PlanWire,
  RaftConfigurationWire,
  RegisterWire,
  DeregisterWire,
  AllocStopWire,
  AllocationEventsWire,
  ValidateWire,
  list,
  type AllocationStubWire as AllocationStub,
  type DeploymentWire as Deployment,
} from './schemas.js';

// Nomad's AllocResourceUsage (client API): only the memory figures Steward reads. cgroups v2
// reports no RSS and v1 no Usage on some drivers, hence every field optional.
const MemoryStatsWire = z.object({ RSS: z.number().optional(), Usage: z.number().optional(), MaxUsage: z.number().optional() }).passthrough();
const AllocStatsWire = z.object({ Tasks: z.record(z.string(), z.object({ ResourceUsage: z.object({ MemoryStats: MemoryStatsWire }).passthrough() }).passthrough()).nullable().optional() }).passthrough();

export type NomadClientOptions = Omit<ApiClientOptions, 'service' | 'tokenHeader' | 'indexHeader' | 'defaultQuery'> & {
  namespace?: string;
  region?: string;
};

export type NomadClient = NomadPort & {
  /** Stops one allocation; Nomad places a replacement (`nomad alloc stop`). The agent's restart. */
  stopAllocation(allocId: string): Promise<{ evalId: string }>;
  /** The allocation's task events, oldest first (driver failures, restarts, kills). */
  allocationEvents(allocId: string): Promise<Array<{ task: string; type: string; message: string; time: number | null }>>;
  /** The last `maxBytes` of each task's stdout or stderr (`GET /v1/client/fs/logs/:alloc_id`, not followed). */
  allocationLogs(allocId: string, options: { type: 'stdout' | 'stderr'; maxBytes: number; task?: string }): Promise<Array<{ task: string; text: string }>>;
  /** Memory per task of a running allocation (`/v1/client/allocation/:id/stats`), in bytes; null when not running. */
  allocationMemory(allocId: string): Promise<Record<string, { rss: number; maxUsage: number }> | null>;
  close(): void;
};

/** Nomad's own prefix for an EnforceIndex mismatch; it answers 500 with it (no dedicated status). */
const ENFORCE_INDEX_PREFIX = 'Enforcing job modify index';

export function createNomadClient(options: NomadClientOptions): NomadClient {
  const api = new ApiClient({
    ...options,
    service: 'nomad',
    tokenHeader: 'X-Nomad-Token',
    indexHeader: 'X-Nomad-Index',
    defaultQuery: { namespace: options.namespace, region: options.region },
  });
  const job = (id: string, suffix = '') => `/v1/job/${encodeURIComponent(id)}${suffix}`;
  const read = async <S extends z.ZodType>(path: string, schema: S, blocking?: BlockingQuery) => {
    const result = await api.call({ method: 'GET', path, schema, idempotent: true, blocking });
    return { index: result.index, value: result.value };
  };
  const write = async (path: string, body: unknown): Promise<RegisterOutcome> => {
    try {
      const { value } = await api.call({ method: 'POST', path, body, schema: RegisterWire, idempotent: false });
      return { status: 'registered', evalId: value.EvalID, jobModifyIndex: value.JobModifyIndex, ...(value.Warnings ? { warnings: value.Warnings } : {}) };
    } catch (error) {
      if (error instanceof ApiError && error.message.includes(ENFORCE_INDEX_PREFIX)) return { status: 'conflict', message: error.message };
      throw error;
    }
  };
  const orNull = async <T>(promise: Promise<T>): Promise<T | null> => {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  };

  return {
    async parseJob(hcl) {
      const { value } = await api.call({ method: 'POST', path: '/v1/jobs/parse', body: { JobHCL: hcl, Canonicalize: true }, schema: JobSpecWire, idempotent: true });
      return value as NomadJobSpec;
    },
    async validateJob(spec) {
      const { value } = await api.call({ method: 'POST', path: '/v1/validate/job', body: { Job: spec }, schema: ValidateWire, idempotent: true });
      const errors = [...value.ValidationErrors];
      if (value.Error && errors.length === 0) errors.push(value.Error);
      return { errors, warnings: value.Warnings ? value.Warnings.split('\n').filter(Boolean) : [] };
    },
    async planJob(spec) {
      const { value } = await api.call({ method: 'POST', path: job(spec.ID, '/plan'), body: { Job: spec, Diff: true }, schema: PlanWire, idempotent: true });
      return buildJobPlan(spec.ID, value);
    },
    registerJob(spec, opts = {}) {
      const enforce = opts.enforceIndex !== undefined ? { EnforceIndex: true, JobModifyIndex: opts.enforceIndex } : {};
      return write('/v1/jobs', { Job: spec, ...enforce });
    },
    async listJobs() {
      const { value } = await read('/v1/jobs', list(JobStubWire));
      return value.map((s) => ({ id: s.ID, name: s.Name, type: s.Type, status: s.Status, stop: s.Stop ?? false, jobModifyIndex: s.JobModifyIndex }));
    },
    async readJob(jobId) {
      const found = await orNull(read(job(jobId), JobSpecWire));
      return found ? (found.value as NomadJobSpec) : null;
    },
    async jobVersions(jobId) {
      const { value } = await read(job(jobId, '/versions'), JobVersionsWire);
      return value.Versions.map((v) => ({ version: v.Version, stable: v.Stable ?? false, jobModifyIndex: v.JobModifyIndex, ...(v.SubmitTime ? { submitTime: v.SubmitTime } : {}), spec: v as NomadJobSpec })).sort(
        (a, b) => b.version - a.version,
      );
    },
    async deregisterJob(jobId) {
      const { value } = await api.call({ method: 'DELETE', path: job(jobId), schema: DeregisterWire, idempotent: false });
      return { evalId: value.EvalID, jobModifyIndex: value.JobModifyIndex };
    },
    async allocationEvents(allocId) {
      const { value } = await read(`/v1/allocation/${encodeURIComponent(allocId)}`, AllocationEventsWire);
      const events = Object.entries(value.TaskStates ?? {}).flatMap(([task, state]) =>
        state.Events.map((e) => ({ task, type: e.Type ?? '', message: e.DisplayMessage || e.Message || '', time: e.Time ?? null })),
      );
      return events.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
    },
    async allocationLogs(allocId, options) {
      const tasks = options.task ? [options.task] : Object.keys((await read(`/v1/allocation/${encodeURIComponent(allocId)}`, AllocationEventsWire)).value.TaskStates ?? {}).sort();
      return Promise.all(
        tasks.map(async (task) => {
          // plain=true: the bytes as text; origin=end with offset: only the last maxBytes of the log.
          const query = { task, type: options.type, origin: 'end', offset: String(options.maxBytes), plain: 'true', follow: 'false' };
          const { value } = await api.call({ method: 'GET', path: `/v1/client/fs/logs/${encodeURIComponent(allocId)}`, query, schema: z.string(), idempotent: true, answer: 'text' });
          return { task, text: value };
        }),
      );
      },
    async allocationMemory(allocId) {
      const stats = await orNull(read(`/v1/client/allocation/${encodeURIComponent(allocId)}/stats`, AllocStatsWire));
      if (!stats) return null;
      const tasks: Record<string, { rss: number; maxUsage: number }> = {};
      for (const [task, t] of Object.entries(stats.value.Tasks ?? {})) {
        const m = t.ResourceUsage.MemoryStats;
        tasks[task] = { rss: m.RSS ?? 0, maxUsage: Math.max(m.MaxUsage ?? 0, m.Usage ?? 0, m.RSS ?? 0) };
      }
      return tasks;
    },
    async stopAllocation(allocId) {
      const { value } = await api.call({ method: 'POST', path: `/v1/allocation/${encodeURIComponent(allocId)}/stop`, schema: AllocStopWire, idempotent: false });
      return { evalId: value.EvalID };
    },
    revertJob(jobId, version, opts = {}) {
      return write(job(jobId, '/revert'), { JobID: jobId, JobVersion: version, ...(opts.enforcePriorVersion !== undefined ? { EnforcePriorVersion: opts.enforcePriorVersion } : {}) });
    },
    async evaluation(evalId, query) {
      const { index, value } = await read(`/v1/evaluation/${encodeURIComponent(evalId)}`, EvaluationWire, query);
      return { index, value: { id: value.ID, jobId: value.JobID, status: value.Status, ...(value.StatusDescription ? { statusDescription: value.StatusDescription } : {}), ...(value.DeploymentID ? { deploymentId: value.DeploymentID } : {}) } };
    },
    async latestDeployment(jobId, query) {
      // Nomad answers `null` when the job has no deployment.
      const { index, value } = await read(job(jobId, '/deployment'), DeploymentWire.nullable(), query);
      return { index, value: value ? toDeployment(value) : null };
    },
    async deployment(deploymentId, query) {
      const { index, value } = await read(`/v1/deployment/${encodeURIComponent(deploymentId)}`, DeploymentWire, query);
      return { index, value: toDeployment(value) };
    },
    deploymentAllocations: (deploymentId, query) => allocations(read(`/v1/deployment/allocations/${encodeURIComponent(deploymentId)}`, list(AllocationStubWire), query)),
    jobAllocations: (jobId, query) => allocations(read(job(jobId, '/allocations'), list(AllocationStubWire), query)),
    async leader() {
      const { value } = await read('/v1/status/leader', z.string());
      return value === '' ? null : value;
    },
    async peers() {
      return (await read('/v1/status/peers', list(z.string()))).value;
    },
    async raftConfiguration() {
      const { value } = await read('/v1/operator/raft/configuration', RaftConfigurationWire);
      return value.Servers.map((s) => ({ id: s.ID, node: s.Node, address: s.Address, leader: s.Leader, voter: s.Voter }));
    },
    async nodes(query) {
      const { index, value } = await read('/v1/nodes', list(NodeStubWire), query);
      return {
        index,
        value: value.map((n) => ({ id: n.ID, name: n.Name, address: n.Address, datacenter: n.Datacenter, status: n.Status, eligible: n.SchedulingEligibility === 'eligible', drain: n.Drain ?? false, ...(n.Version ? { version: n.Version } : {}) })),
      };
    },
    close: () => api.close(),
  };
}

function toDeployment(d: Deployment): NomadDeployment {
  const groups: NomadDeployment['groups'] = {};
  for (const [name, g] of Object.entries(d.TaskGroups)) {
    groups[name] = { autoRevert: g.AutoRevert ?? false, desiredTotal: g.DesiredTotal, desiredCanaries: g.DesiredCanaries, placedAllocs: g.PlacedAllocs, healthyAllocs: g.HealthyAllocs, unhealthyAllocs: g.UnhealthyAllocs };
  }
  return { id: d.ID, jobId: d.JobID, jobVersion: d.JobVersion, jobModifyIndex: d.JobModifyIndex, status: d.Status, statusDescription: d.StatusDescription, groups, modifyIndex: d.ModifyIndex };
}

async function allocations(pending: Promise<{ index: number; value: AllocationStub[] }>): Promise<Indexed<NomadAllocation[]>> {
  const { index, value } = await pending;
  return {
    index,
    value: value.map((a) => {
      const alloc: NomadAllocation = { id: a.ID, name: a.Name, jobId: a.JobID, jobVersion: a.JobVersion, taskGroup: a.TaskGroup, nodeId: a.NodeID, nodeName: a.NodeName, desiredStatus: a.DesiredStatus, clientStatus: a.ClientStatus, modifyIndex: a.ModifyIndex };
      if (typeof a.DeploymentStatus?.Healthy === 'boolean') alloc.healthy = a.DeploymentStatus.Healthy;
      return alloc;
    }),
  };
}
