// What the simulator's Nomad endpoints serve, built from the cluster state: job list stubs with
// summaries, jobs with their live status, allocation stubs, node stubs, raft configuration.
import type { AllocRecord, ClusterState, NodeRecord } from './cluster-state.js';
import type { ApiJob } from './hcl-to-job.js';
import type { Body } from './hcl-values.js';
import { groupsOf } from './plan-updates.js';

export const NOMAD_VERSION = '1.8.4';

export function jobStatus(state: ClusterState, job: ApiJob): string {
  const allocs = state.allocsOf(job.ID);
  if (allocs.some((a) => a.wire.DesiredStatus === 'run' && a.wire.ClientStatus === 'running')) return 'running';
  if (allocs.some((a) => a.wire.DesiredStatus === 'run' && a.wire.ClientStatus === 'pending')) return 'pending';
  return allocs.length > 0 && (job.Type === 'batch' || job.Type === 'sysbatch') ? 'dead' : 'pending';
}

export function jobView(state: ClusterState, job: ApiJob): ApiJob {
  return { ...job, Status: jobStatus(state, job) };
}

export function jobStub(state: ClusterState, job: ApiJob): Body {
  const summary: Record<string, Body> = {};
  for (const group of groupsOf(job)) {
    const allocs = state.allocsOf(job.ID).filter((a) => a.wire.TaskGroup === group.Name);
    const count = (status: string) => allocs.filter((a) => a.wire.ClientStatus === status).length;
    summary[String(group.Name)] = { Queued: 0, Complete: count('complete'), Failed: count('failed'), Running: count('running'), Starting: count('pending'), Lost: count('lost'), Unknown: 0 };
  }
  return {
    ID: job.ID,
    ParentID: '',
    Name: job.Name,
    Namespace: job.Namespace,
    Datacenters: job.Datacenters,
    Type: job.Type,
    Priority: job.Priority,
    Periodic: job.Periodic !== undefined,
    ParameterizedJob: job.ParameterizedJob !== undefined,
    Stop: job.Stop ?? false,
    Status: jobStatus(state, job),
    StatusDescription: '',
    JobSummary: {
      JobID: job.ID,
      Namespace: job.Namespace,
      Summary: summary,
      Children: { Pending: 0, Running: 0, Dead: 0 },
      CreateIndex: job.CreateIndex,
      ModifyIndex: job.ModifyIndex,
    },
    CreateIndex: job.CreateIndex,
    ModifyIndex: job.ModifyIndex,
    JobModifyIndex: job.JobModifyIndex,
    SubmitTime: job.SubmitTime,
  };
}

export function allocStub(a: AllocRecord): Body {
  return structuredClone(a.wire);
}

export function nodeStub(node: NodeRecord, nowIso: string): Body {
  return {
    ID: node.id,
    Name: node.name,
    Address: node.address,
    Datacenter: node.datacenter,
    NodeClass: '',
    Version: NOMAD_VERSION,
    Drain: false,
    SchedulingEligibility: node.eligible ? 'eligible' : 'ineligible',
    Status: node.status,
    StatusDescription: '',
    Drivers: { docker: { Detected: true, Healthy: true, HealthDescription: 'Healthy', Attributes: {}, UpdateTime: nowIso } },
    CreateIndex: node.createIndex,
    ModifyIndex: node.modifyIndex,
  };
}

export function raftConfiguration(state: ClusterState, service: 'nomad' | 'consul'): Body {
  const port = service === 'nomad' ? 4647 : 8300;
  return {
    Index: state.index,
    Servers: state.servers.map((s) => ({
      ID: s.id,
      Node: service === 'nomad' ? `${s.name}.global` : s.name,
      Address: `${s.ip}:${port}`,
      Leader: state.leaders[service] === s.name,
      Voter: true,
      // Nomad calls the field RaftProtocol, Consul ProtocolVersion.
      ...(service === 'nomad' ? { RaftProtocol: '3' } : { ProtocolVersion: '3' }),
    })),
  };
}

export function leaderAddress(state: ClusterState, service: 'nomad' | 'consul'): string {
  const leader = state.serverByName(state.leaders[service]);
  return leader ? `${leader.ip}:${service === 'nomad' ? 4647 : 8300}` : '';
}

export function peers(state: ClusterState, service: 'nomad' | 'consul'): string[] {
  return state.servers.map((s) => `${s.ip}:${service === 'nomad' ? 4647 : 8300}`);
}

/** The largest ModifyIndex among `items`, or the table's index when there are none. */
export function maxIndex(items: Array<{ ModifyIndex?: unknown }>, fallback: number): number {
  return items.reduce((max, item) => Math.max(max, Number(item.ModifyIndex ?? 0)), 0) || fallback;
}
