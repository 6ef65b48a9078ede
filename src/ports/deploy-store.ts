// The deploy state store: the lock, deploy records, a write-ahead log of every action, each
// target's last good commit, bad commits, pending reboots and approvals. `adapters/store-sqlite`
// implements it. Writes are durable when the call returns: a crash after it loses nothing.
import type { ApprovalRecord, ApprovalState, ApprovalStore } from './approval-store.js';
import type { CommitRecord, TargetKind, TargetRecord } from '../model/deploy-record.js';

export interface LockHolder {
  /** A unique id of the holding run. */
  owner: string;
  pid: number;
  hostname: string;
  command: string;
  acquiredAt: string;
  heartbeatAt: string;
}

export type LockResult = { acquired: true; tookOverFrom: LockHolder | null } | { acquired: false; holder: LockHolder };

export interface LockOptions {
  /** How long to wait for a holder to finish. */
  waitMs: number;
  /** A holder whose heartbeat is older than this (or whose process is gone, on this machine) is dead. */
  staleMs: number;
  pollMs?: number;
}

/** An action started on a target: the write-ahead intent, then each step as it completes. */
export interface ActionStart {
  runId: number;
  kind: TargetKind;
  target: string;
  sha: string;
  /** `switch`, `boot`, `reboot`, `register`. */
  action: string;
  from: string | null;
  to: string | null;
  /** Anything recovery needs (e.g. the guard id). */
  detail: Record<string, unknown>;
}

export interface ActionStep {
  step: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface ActionRow extends ActionStart {
  id: number;
  startedAt: string;
  steps: ActionStep[];
}

export interface BadCommit {
  sha: string;
  target: string;
  reason: string;
  at: string;
}

export interface PendingReboot {
  host: string;
  toplevel: string;
  /** What ran before the activation: where a failed reboot rolls back to. */
  previous: string | null;
  sha: string;
  since: string;
}

/** One deployment of a target, as `steward history` lists them. */
export interface HistoryEntry {
  runId: number;
  kind: TargetKind;
  target: string;
  sha: string;
  result: TargetRecord['result'];
  action: TargetRecord['action'];
  from: string | null;
  to: string | null;
  message: string;
  at: string;
}

export interface DeployStore extends ApprovalStore {
  acquireLock(holder: Omit<LockHolder, 'acquiredAt' | 'heartbeatAt'>, options: LockOptions): Promise<LockResult>;
  heartbeat(owner: string): void;
  releaseLock(owner: string): void;
  /** Who holds the lock now (null: nobody). */
  lockHolder(): LockHolder | null;

  startRun(input: { head: string; dryRun: boolean }): number;
  finishRun(runId: number, commits: CommitRecord[]): void;

  beginAction(start: ActionStart): number;
  stepAction(actionId: number, step: string, detail?: Record<string, unknown>): void;
  /** Closes the action with its outcome and appends it to the target's history. */
  finishAction(actionId: number, outcome: TargetRecord): void;
  incompleteActions(): ActionRow[];

  lastGood(kind: TargetKind, name: string): string | null;
  setLastGood(kind: TargetKind, name: string, sha: string): void;
  /** Every target with a recorded last good commit. */
  lastGoodAll(): Array<{ kind: TargetKind; name: string; sha: string }>;
  /** The commit the last complete run deployed; the base of targets without a record of their own. */
  fleetBase(): string | null;
  setFleetBase(sha: string): void;

  markBad(bad: Omit<BadCommit, 'at'>): void;
  badCommit(sha: string): BadCommit | null;

  pendingReboots(): PendingReboot[];
  setPendingReboot(reboot: Omit<PendingReboot, 'since'>): void;
  clearPendingReboot(host: string): void;

  /** Newest first; `at`: entries at or before that time; `target`: `node1`, `host:node1` or `job:web`. */
  history(filter: { target?: string; at?: Date; limit?: number }): HistoryEntry[];
  commitRecords(filter: { limit?: number }): Array<CommitRecord & { runId: number }>;
  approvals(states: ApprovalState[]): Promise<ApprovalRecord[]>;
  close(): void;
}
