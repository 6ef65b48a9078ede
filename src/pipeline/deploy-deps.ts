// What the deploy pipeline is wired with: the review's ports plus the state store, the hosts,
// the cluster, invariant runners, hooks and (with --github) the approval gate.
import type { StewardConfig } from '../config/schema.js';
import type { Reason } from '../model/evidence.js';
import type { Label } from '../model/label.js';
import type { ReviewReport } from '../model/review.js';
import type { ConsulPort } from '../ports/consul.js';
import type { DeployStore } from '../ports/deploy-store.js';
import type { HostSystem } from '../ports/host.js';
import type { NomadPort } from '../ports/nomad.js';
import type { Redactor } from '../redact.js';
import type { ClassifyOptions } from '../stages/classify/classify-rules.js';
import type { StepHooks } from '../stages/deploy/context.js';
import type { InvariantDeps } from '../stages/verify/invariants.js';
import type { ClusterDeps } from '../stages/verify/quorum.js';
import { criticalUnits, type ReviewDeps } from './review.js';

/** Approval of held commits (GitHub: a merged approval pull request approves exactly one SHA). */
export interface ApprovalGate {
  /** Whether a human approved exactly this commit and it is still in the main branch's history. */
  isApproved(sha: string): Promise<{ approved: boolean; note?: string }>;
  /** Opens (or updates) the request for a held commit. */
  request(sha: string, input: { label: Label; reasons: Reason[]; reviews: ReviewReport[] }): Promise<{ url?: string; note: string }>;
  /** Approved commits, oldest first, except those `handled` says were dealt with already. */
  approvedCommits(handled: (sha: string) => boolean): Promise<string[]>;
}

export interface DeployDeps extends ReviewDeps {
  redactor: Redactor;
  store: DeployStore;
  nomad?: NomadPort;
  consul?: ConsulPort;
  cluster: ClusterDeps;
  /** The host's NixOS operations, or null when Steward cannot reach it (no target configured). */
  hostFor(name: string): HostSystem | null;
  invariantDeps: Omit<InvariantDeps, 'hostFor'>;
  hooks?: StepHooks;
  approvals?: ApprovalGate;
  now?: () => Date;
}

export function classifyOptions(config: StewardConfig): ClassifyOptions {
  return { criticalUnits: criticalUnits(config), overrides: config.classify.rules, nixpkgsBumpHosts: config.classify.nixpkgsBumpHosts };
}
