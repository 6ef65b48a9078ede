// The Nomad API subset the simulator serves, over the cluster state and its scheduler. Paths,
// bodies, status codes and error texts follow Nomad's HTTP API.
import { SimError, type ClusterState } from './cluster-state.js';
import { parseJobHcl } from './hcl-to-job.js';
import { isBody, JobParseError, type Body } from './hcl-values.js';
import type { Route, RouteAnswer } from './http-server.js';
import type { Scheduler } from './scheduler.js';
import { allocStats } from './alloc-stats.js';
import { allocStub, jobStub, jobView, leaderAddress, maxIndex, nodeStub, peers, raftConfiguration } from './views.js';

export function nomadRoutes(state: ClusterState, scheduler: Scheduler): Route[] {
  const jobOr404 = (id: string) => {
    const job = state.currentJob(id);
    if (!job) throw new SimError(404, 'job not found');
    return job;
  };
  const submitted = (body: unknown, id?: string): Body => {
    if (!isBody(body) || !isBody(body.Job)) throw new SimError(400, 'Job must be specified');
    if (id !== undefined && body.Job.ID !== id) throw new SimError(400, 'Job ID does not match name');
    return body.Job;
  };
  const deploymentsOf = (jobId: string) => [...state.deployments.values()].filter((d) => d.JobID === jobId).sort((a, b) => Number(b.CreateIndex) - Number(a.CreateIndex));
  const register = (body: unknown, id?: string): RouteAnswer => {
    const job = submitted(body, id);
    const enforce = isBody(body) && body.EnforceIndex === true ? { jobModifyIndex: Number(body.JobModifyIndex ?? 0) } : undefined;
    return { body: scheduler.register(job, enforce), index: state.index };
  };

  return [
    {
      method: 'POST',
      pattern: '/v1/jobs/parse',
      noLeader: true,
      async handle({ body }) {
        if (!isBody(body) || typeof body.JobHCL !== 'string') throw new SimError(400, 'Job spec is empty');
        try {
          return { body: await parseJobHcl(body.JobHCL) };
        } catch (error) {
          if (error instanceof JobParseError) throw new SimError(400, error.message);
          throw error;
        }
      },
    },
    {
      method: 'POST',
      pattern: '/v1/validate/job',
      handle({ body }) {
        const errors = scheduler.validate(submitted(body));
        const error = errors.length ? `${errors.length} error${errors.length === 1 ? '' : 's'} occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}` : '';
        return { body: { DriverConfigValidated: true, ValidationErrors: errors, Error: error, Warnings: '' }, index: state.index };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/job/:id/plan',
      handle({ params, body }) {
        const plan = scheduler.plan(submitted(body, params.id));
        if (isBody(body) && body.Diff !== true) delete plan.Diff;
        return { body: plan, index: state.index };
      },
    },
    { method: 'POST', pattern: '/v1/jobs', handle: ({ body }) => register(body) },
    { method: 'POST', pattern: '/v1/job/:id', handle: ({ params, body }) => register(body, params.id) },
    { method: 'DELETE', pattern: '/v1/job/:id', handle: ({ params }) => ({ body: scheduler.deregister(params.id!), index: state.index }) },
    {
      method: 'GET',
      pattern: '/v1/jobs',
      handle: ({ query }) => ({
        body: [...state.jobs.keys()].sort().filter((id) => id.startsWith(query.get('prefix') ?? '')).map((id) => jobStub(state, state.currentJob(id)!)),
        index: state.tables.jobs,
      }),
    },
    {
      method: 'GET',
      pattern: '/v1/job/:id',
      handle: ({ params }) => {
        const job = jobOr404(params.id!);
        return { body: jobView(state, job), index: Number(job.ModifyIndex) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/job/:id/versions',
      handle: ({ params }) => {
        const job = jobOr404(params.id!);
        return { body: { Versions: [...state.jobs.get(job.ID)!.versions].reverse() }, index: Number(job.ModifyIndex) };
      },
    },
    {
      method: 'POST',
      pattern: '/v1/job/:id/revert',
      handle({ params, body }) {
        if (!isBody(body) || typeof body.JobVersion !== 'number') throw new SimError(400, 'JobVersion must be specified');
        if (body.JobID !== undefined && body.JobID !== params.id) throw new SimError(400, 'Job ID does not match');
        const enforce = typeof body.EnforcePriorVersion === 'number' ? body.EnforcePriorVersion : undefined;
        return { body: scheduler.revert(params.id!, body.JobVersion, enforce), index: state.index };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/job/:id/allocations',
      handle: ({ params }) => {
        const allocs = state.allocsOf(jobOr404(params.id!).ID);
        return { body: allocs.map(allocStub), index: maxIndex(allocs.map((a) => a.wire), state.tables.allocs) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/job/:id/deployment',
      handle: ({ params }) => {
        const latest = deploymentsOf(jobOr404(params.id!).ID)[0];
        // Nomad answers `null` when the job has no deployment.
        return { body: latest ?? null, index: latest ? Number(latest.ModifyIndex) : state.tables.deployment };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/job/:id/deployments',
      handle: ({ params }) => ({ body: deploymentsOf(jobOr404(params.id!).ID), index: state.tables.deployment }),
    },
    {
      method: 'GET',
      pattern: '/v1/deployments',
      handle: () => ({ body: [...state.deployments.values()], index: state.tables.deployment }),
    },
    {
      method: 'GET',
      pattern: '/v1/deployment/:id',
      handle: ({ params }) => {
        const deployment = state.deployments.get(params.id!);
        if (!deployment) throw new SimError(404, 'deployment not found');
        return { body: deployment, index: Number(deployment.ModifyIndex) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/deployment/allocations/:id',
      handle: ({ params }) => {
        if (!state.deployments.has(params.id!)) throw new SimError(404, 'deployment not found');
        const allocs = [...state.allocs.values()].filter((a) => a.deploymentId === params.id);
        return { body: allocs.map(allocStub), index: maxIndex(allocs.map((a) => a.wire), state.tables.allocs) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/evaluation/:id',
      handle: ({ params }) => {
        const evaluation = state.evals.get(params.id!);
        if (!evaluation) throw new SimError(404, 'eval not found');
        return { body: evaluation, index: Number(evaluation.ModifyIndex) };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/allocation/:id',
      handle: ({ params }) => {
        const alloc = state.allocs.get(params.id!);
        if (!alloc) throw new SimError(404, 'alloc not found');
        const job = state.jobs.get(String(alloc.wire.JobID))?.versions.find((v) => v.Version === alloc.wire.JobVersion);
        // The full Allocation carries the job itself instead of the stub's JobType and JobVersion.
        const { JobType: _type, JobVersion: _version, ...stub } = allocStub(alloc);
        const links = { ...(alloc.previousAllocation ? { PreviousAllocation: alloc.previousAllocation } : {}), ...(alloc.nextAllocation ? { NextAllocation: alloc.nextAllocation } : {}) };
        return { body: { ...stub, ...links, DeploymentID: alloc.deploymentId ?? '', ...(job ? { Job: job } : {}) }, index: Number(alloc.wire.ModifyIndex) };
      },
    },
    {
      // A task's logs (`nomad alloc logs`), not streamed: Nomad's `plain=true` answers the bytes as
      // text; without it, JSON StreamFrames with base64 Data. `origin=end` counts `offset` from the end.
      method: 'GET',
      pattern: '/v1/client/fs/logs/:id',
      handle: ({ params, query }) => {
        const alloc = state.allocs.get(params.id!);
        if (!alloc) throw new SimError(404, `Unknown allocation "${params.id!}"`);
        const task = query.get('task') ?? '';
        if (!task) throw new SimError(400, 'must provide task name');
        const type = query.get('type') ?? '';
        if (type !== 'stdout' && type !== 'stderr') throw new SimError(400, 'log type must be "stdout" or "stderr"');
        const origin = query.get('origin') ?? 'start';
        if (origin !== 'start' && origin !== 'end') throw new SimError(400, 'origin must be start or end');
        if (!Object.keys((alloc.wire.TaskStates ?? {}) as Record<string, unknown>).includes(task)) throw new SimError(400, `unknown task name "${task}"`);
        const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
        const log = Buffer.from(state.taskLogs.get(`${params.id!}/${task}/${type}`) ?? '', 'utf8');
        const bytes = origin === 'end' ? log.subarray(Math.max(0, log.length - offset)) : log.subarray(Math.min(offset, log.length));
        if (query.get('plain') === 'true') return { body: bytes.toString('utf8'), contentType: 'text/plain; charset=utf-8' };
        return { body: bytes.length ? { File: `alloc/logs/${task}.${type}.0`, Offset: log.length, Data: bytes.toString('base64') } : {} };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/client/allocation/:id/stats',
      handle: ({ params }) => {
        const alloc = state.allocs.get(params.id!);
        if (!alloc) throw new SimError(404, 'Unknown allocation');
        if (alloc.wire.ClientStatus !== 'running') throw new SimError(500, 'unable to find task runner for alloc');
        return { body: allocStats(state, alloc, Date.now() * 1_000_000) };
      },
    },
    { method: 'POST', pattern: '/v1/allocation/:id/stop', handle: ({ params }) => ({ body: scheduler.stopAllocation(params.id!), index: state.index }) },
    {
      method: 'GET',
      pattern: '/v1/nodes',
      handle: () => ({ body: state.nodes.map((n) => nodeStub(n, state.nowIso())), index: state.tables.nodes }),
    },
    { method: 'GET', pattern: '/v1/status/leader', noLeader: true, noAcl: true, handle: () => ({ body: leaderAddress(state, 'nomad') }) },
    { method: 'GET', pattern: '/v1/status/peers', noLeader: true, noAcl: true, handle: () => ({ body: peers(state, 'nomad') }) },
    { method: 'GET', pattern: '/v1/operator/raft/configuration', handle: () => ({ body: raftConfiguration(state, 'nomad') }) },
  ];
}
