// `GET /v1/client/allocation/:id/stats`: an allocation's resource usage, shaped like Nomad's
// AllocResourceUsage (the client API; Nomad's OpenAPI description leaves it out, so the shape
// follows the HTTP API documentation: ResourceUsage with MemoryStats/CpuStats, and per task).
import type { AllocRecord, ClusterState } from './cluster-state.js';
import type { Body } from './hcl-values.js';
import { groupsOf, tasksOf } from './plan-updates.js';

const MIB = 1024 * 1024;
const DEFAULT_USED_SHARE = 0.6;

function usage(memoryBytes: number): Body {
  return {
    MemoryStats: { RSS: memoryBytes, Cache: 0, Swap: 0, Usage: memoryBytes, MaxUsage: memoryBytes, KernelUsage: 0, KernelMaxUsage: 0, Measured: ['RSS', 'Cache', 'Swap', 'Usage', 'Max Usage'] },
    CpuStats: { SystemMode: 0, UserMode: 0, TotalTicks: 0, ThrottledPeriods: 0, ThrottledTime: 0, Percent: 0, Measured: ['System Mode', 'User Mode', 'Percent'] },
    DeviceStats: [],
  };
}

export function allocStats(state: ClusterState, alloc: AllocRecord, timestamp: number): Body {
  const job = state.jobs.get(String(alloc.wire.JobID))?.versions.find((v) => v.Version === alloc.wire.JobVersion);
  const group = groupsOf(job).find((g) => g.Name === alloc.wire.TaskGroup);
  const tasks: Body = {};
  let total = 0;
  for (const task of tasksOf(group)) {
    const name = String(task.Name);
    const reserved = Number((task.Resources as Body | undefined)?.MemoryMB ?? 300);
    const bytes = Math.round((alloc.memoryUsageMB?.[name] ?? reserved * DEFAULT_USED_SHARE) * MIB);
    total += bytes;
    tasks[name] = { ResourceUsage: usage(bytes), Timestamp: timestamp, Pids: null };
  }
  return { ResourceUsage: usage(total), Tasks: tasks, Timestamp: timestamp };
}
