// What the build stage hands to analysis: per host, its toplevels at base and head and whether
// they were built, plus errors.
import type { HostBuildError } from '../../model/host-change.js';
import type { ToplevelRef } from '../../ports/nix.js';
import type { HostEvalValues } from '../../ports/nix-eval-values.js';

export interface BuiltToplevel extends ToplevelRef {
  /** The output path exists in the local store (built, or already there). */
  built: boolean;
}

export type HostBuildStatus = 'unchanged' | 'changed' | 'added' | 'removed' | 'failed';

export interface HostBuild {
  host: string;
  status: HostBuildStatus;
  base: BuiltToplevel | null;
  head: BuiltToplevel | null;
  error?: HostBuildError;
}

export interface FlakeError extends HostBuildError {
  host: null;
}

export interface BuildStageResult {
  hosts: HostBuild[];
  /** Errors that stopped the evaluation of a whole revision. */
  errors: FlakeError[];
  /** Evaluation level only: each host's values at both revisions (nothing was built). */
  values?: { base: Record<string, HostEvalValues | null>; head: Record<string, HostEvalValues | null> };
  stats: {
    evalProcesses: number;
    baseFromCache: boolean;
    headFromCache: boolean;
    toplevelsBuilt: number;
    evalMs: number;
    buildMs: number;
  };
}
