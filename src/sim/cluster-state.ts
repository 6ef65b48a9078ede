// The simulated cluster's state: jobs and their versions, evaluations, deployments,
// allocations, client nodes, raft servers and leaders, with Nomad's raft index per table so
// blocking queries can wait for "something changed after index N".
import type { SimClock } from './clock.js';
import type { Body } from './hcl-values.js';
import type { ApiJob } from './hcl-to-job.js';

export type Table = 'jobs' | 'evals' | 'deployment' | 'allocs' | 'nodes' | 'services';

export interface JobRecord {
  /** Every version, oldest first; the last is the current job. */
  versions: ApiJob[];
}

export interface AllocRecord {
  /** What the API serves (AllocationListStub fields). */
  wire: Body;
  /** The deployment this allocation reports health to (AllocationListStub does not carry it). */
  deploymentId?: string;
  /** Replacement links; only the full Allocation carries them, not the list stub. */
  previousAllocation?: string;
  nextAllocation?: string;
  /** Whether the allocation's health checks pass (drives Consul and deployment health). */
  checksPassing: boolean;
  /** Services the allocation registers in Consul, from its job version. */
  services: Array<{ name: string; tags: string[]; port: number; checks: string[] }>;
  cpu: number;
  memoryMB: number;
  /** Memory each task uses (MiB), for `/v1/client/allocation/:id/stats`; unset tasks use 60 % of their reservation. */
  memoryUsageMB?: Record<string, number>;
}

export interface NodeRecord {
  id: string;
  name: string;
  address: string;
  datacenter: string;
  status: 'ready' | 'down' | 'initializing';
  eligible: boolean;
  cpu: number;
  memoryMB: number;
  createIndex: number;
  modifyIndex: number;
}

export interface ServerRecord {
  id: string;
  name: string;
  ip: string;
  alive: boolean;
}

/** A refusal the HTTP layer turns into Nomad's status and text body. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class ClusterState {
  index = 1;
  readonly tables: Record<Table, number> = { jobs: 1, evals: 1, deployment: 1, allocs: 1, nodes: 1, services: 1 };
  readonly jobs = new Map<string, JobRecord>();
  readonly evals = new Map<string, Body>();
  readonly deployments = new Map<string, Body>();
  readonly allocs = new Map<string, AllocRecord>();
  /** What each task of an allocation wrote, by `<alloc id>/<task>/<stdout|stderr>` (`nomad alloc logs`). */
  readonly taskLogs = new Map<string, string>();
  readonly nodes: NodeRecord[] = [];
  readonly servers: ServerRecord[] = [];
  readonly leaders: { nomad: string | null; consul: string | null } = { nomad: null, consul: null };
  /** The datacenter of every client node (and of Consul). */
  datacenter = 'dc1';
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  private port = 20000;

  constructor(
    readonly clock: SimClock,
    readonly newId: () => string,
  ) {}

  /** Starts a raft write touching `tables`; returns its index. Listeners hear of it once per tick. */
  write(...tables: Table[]): number {
    this.index += 1;
    for (const table of tables) this.tables[table] = this.index;
    if (!this.notifyQueued) {
      this.notifyQueued = true;
      queueMicrotask(() => {
        this.notifyQueued = false;
        for (const listener of [...this.listeners]) listener();
      });
    }
    return this.index;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A dynamic port for a new allocation (Nomad's default range starts at 20000). */
  nextPort(): number {
    return this.port++;
  }

  currentJob(id: string): ApiJob | undefined {
    return this.jobs.get(id)?.versions.at(-1);
  }

  allocsOf(jobId: string): AllocRecord[] {
    return [...this.allocs.values()].filter((a) => a.wire.JobID === jobId);
  }

  /** Allocations that are meant to run (not stopped, not finished). */
  liveAllocs(jobId: string, group?: string): AllocRecord[] {
    return this.allocsOf(jobId).filter((a) => a.wire.DesiredStatus === 'run' && !['complete', 'failed', 'lost'].includes(String(a.wire.ClientStatus)) && (!group || a.wire.TaskGroup === group));
  }

  readyNodes(): NodeRecord[] {
    return this.nodes.filter((n) => n.status === 'ready' && n.eligible);
  }

  /** Nanoseconds since the epoch on the simulator's clock, as Nomad reports times. */
  nowNs(): number {
    return this.clock.now() * 1e6;
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  hasQuorum(): boolean {
    return this.servers.filter((s) => s.alive).length > this.servers.length / 2;
  }

  /** Refuses writes and consistent reads like a server without a leader does. */
  requireLeader(service: 'nomad' | 'consul'): void {
    if (!this.leaders[service]) throw new SimError(500, 'No cluster leader');
  }

  serverByName(name: string | null): ServerRecord | undefined {
    return this.servers.find((s) => s.name === name);
  }
}
