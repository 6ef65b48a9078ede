// What the deploy pipeline is wired with: the review's ports plus the state store, the hosts,
// the cluster, invariant runners, hooks and (with --github) the approval gate.
import type { StewardConfig } from '../config/schema.js';
import type { ApprovalGate } from '../ports/approval-gate.js';
import type { ConsulPort } from '../ports/consul.js';
import type { DeployStore } from '../ports/deploy-store.js';
import type { HostSystem } from '../ports/host.js';
import type { NomadPort } from '../ports/nomad.js';
import type { Redactor } from '../redact.js';
import type { ClassifyOptions } from '../stages/classify/classify-rules.js';
import type { StepHooks } from '../stages/deploy/context.js';
import type { InvariantDeps } from '../stages/verify/invariants.js';
import type { ClusterDeps } from '../stages/verify/quorum.js';
import type { DiagnoseDeps } from './diagnose-failure.js';
import { criticalUnits, type ReviewDeps } from './review.js';

export type { ApprovalGate };

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
  /** Diagnosis of failed steps (issue 14); absent: a failure is rolled back and reported as before. */
  diagnosis?: DeployDiagnosis;
}

export interface DeployDiagnosis {
  diagnose: DiagnoseDeps;
  /** A unit's recent error journal lines on a host. */
  journalFor(host: string, unit: string): Promise<string[]>;
  /** Waits before a retry; default a timer. */
  wait?(ms: number): Promise<void>;
}

export function classifyOptions(config: StewardConfig): ClassifyOptions {
  return { criticalUnits: criticalUnits(config), overrides: config.classify.rules, nixpkgsBumpHosts: config.classify.nixpkgsBumpHosts };
}
