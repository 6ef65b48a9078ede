// Nomad, as Steward needs it: plan and register jobs, watch deployments, read cluster health.
// Interfaces only; `adapters/nomad-http` implements them over Nomad's HTTP API.
import type { JobPlan } from '../model/job-plan.js';

/** A job in Nomad's API JSON shape (what `/v1/jobs/parse` returns), passed through untouched. */
export type NomadJobSpec = { ID: string; Name?: string; Type?: string; Version?: number } & Record<string, unknown>;

/** A blocking query: answer when the resource's index passes `index`, or after `waitMs`. */
export interface BlockingQuery {
  index?: number;
  waitMs?: number;
}

/** An answer and the `X-Nomad-Index` to pass as the next blocking query's `index`. */
export interface Indexed<T> {
  index: number;
  value: T;
}

export interface JobValidation {
  errors: string[];
  warnings: string[];
}

export type RegisterOutcome =
  | { status: 'registered'; evalId: string; jobModifyIndex: number; warnings?: string }
  /** EnforceIndex did not match: someone changed the job since it was planned. Nothing was registered. */
  | { status: 'conflict'; message: string };

export interface NomadJobStub {
  id: string;
  name: string;
  type: string;
  status: string;
  version?: number;
  jobModifyIndex: number;
  stop: boolean;
}

export interface NomadJobVersion {
  version: number;
  stable: boolean;
  jobModifyIndex: number;
  submitTime?: number;
  spec: NomadJobSpec;
}

export interface NomadEvaluation {
  id: string;
  jobId: string;
  status: string;
  statusDescription?: string;
  deploymentId?: string;
}

export interface DeploymentGroupState {
  autoRevert: boolean;
  desiredTotal: number;
  desiredCanaries: number;
  placedAllocs: number;
  healthyAllocs: number;
  unhealthyAllocs: number;
}

export type DeploymentStatus = 'running' | 'successful' | 'failed' | 'cancelled' | 'paused' | 'blocked' | 'pending' | 'unblocking' | 'initializing';

export interface NomadDeployment {
  id: string;
  jobId: string;
  jobVersion: number;
  jobModifyIndex: number;
  status: DeploymentStatus | (string & {});
  statusDescription: string;
  groups: Record<string, DeploymentGroupState>;
  modifyIndex: number;
}

export interface NomadAllocation {
  id: string;
  name: string;
  jobId: string;
  jobVersion: number;
  taskGroup: string;
  nodeId: string;
  nodeName: string;
  desiredStatus: string;
  clientStatus: string;
  /** Deployment health: undefined until Nomad has decided. */
  healthy?: boolean;
  modifyIndex: number;
}

export interface NomadNode {
  id: string;
  name: string;
  address: string;
  datacenter: string;
  status: string;
  eligible: boolean;
  drain: boolean;
  version?: string;
}

export interface RaftServer {
  id: string;
  node: string;
  address: string;
  leader: boolean;
  voter: boolean;
}

export interface NomadJobs {
  /** The cluster's own parse of a job file (`/v1/jobs/parse`, canonicalized). */
  parseJob(hcl: string): Promise<NomadJobSpec>;
  validateJob(job: NomadJobSpec): Promise<JobValidation>;
  /** A dry-run of the scheduler with the field diff (`/v1/job/:id/plan`, Diff: true). */
  planJob(job: NomadJobSpec): Promise<JobPlan>;
  /** Registers a job; with `enforceIndex` (the plan's jobModifyIndex) only if nobody changed it since. */
  registerJob(job: NomadJobSpec, options?: { enforceIndex?: number }): Promise<RegisterOutcome>;
  listJobs(): Promise<NomadJobStub[]>;
  /** The job as registered, or null when there is none. */
  readJob(jobId: string): Promise<NomadJobSpec | null>;
  /** Stops a job (`DELETE /v1/job/:id`, no purge: its versions stay for a revert). */
  deregisterJob(jobId: string): Promise<{ evalId: string; jobModifyIndex: number }>;
  /** Newest first. */
  jobVersions(jobId: string): Promise<NomadJobVersion[]>;
  revertJob(jobId: string, version: number, options?: { enforcePriorVersion?: number }): Promise<RegisterOutcome>;
}

export interface NomadDeployments {
  evaluation(evalId: string, query?: BlockingQuery): Promise<Indexed<NomadEvaluation>>;
  /** The job's most recent deployment, or null when it has none. */
  latestDeployment(jobId: string, query?: BlockingQuery): Promise<Indexed<NomadDeployment | null>>;
  deployment(deploymentId: string, query?: BlockingQuery): Promise<Indexed<NomadDeployment>>;
  deploymentAllocations(deploymentId: string, query?: BlockingQuery): Promise<Indexed<NomadAllocation[]>>;
  jobAllocations(jobId: string, query?: BlockingQuery): Promise<Indexed<NomadAllocation[]>>;
}

export interface NomadCluster {
  /** The leader's RPC address, or null when the cluster has none. */
  leader(): Promise<string | null>;
  peers(): Promise<string[]>;
  raftConfiguration(): Promise<RaftServer[]>;
  nodes(query?: BlockingQuery): Promise<Indexed<NomadNode[]>>;
}

export type NomadPort = NomadJobs & NomadDeployments & NomadCluster;
