// What the deploy machinery saw when a step failed, before any interpretation: the input of the
// diagnosis. Text here (switch output, journal lines, allocation events) comes from hosts and
// the cluster: it is evidence to match, never instructions.
import type { CheckResult } from '../record/deploy-record.js';

/** A unit that failed, with its recent error journal lines (newest last). */
export interface UnitEvidence {
  unit: string;
  journal: string[];
}

/** A Nomad allocation of a failed deployment: its task events and its failing checks' output. */
export interface AllocationEvidence {
  name: string;
  id: string;
  node: string;
  clientStatus: string;
  healthy?: boolean;
  /** Task events, e.g. `Driver Failure: failed to pull image ...`, `Terminated: Exit Code: 1`. */
  events: string[];
  /** Failing Consul/Nomad check outputs, e.g. `check "http" critical: connection refused`. */
  checks: string[];
}

export type FailedStep =
  /** Nothing ran: the host could not be reached (arming the guard, setting the profile). */
  | { step: 'connection'; host: string; detail: string }
  | {
      step: 'activation';
      host: string;
      action: string;
      exitCode: number | null;
      timedOut: boolean;
      /** What switch-to-configuration printed (redacted). */
      output: string;
      failedUnits: UnitEvidence[];
    }
  /** The switch ran, but no NEW connection could confirm it. */
  | { step: 'confirmation'; host: string; detail: string }
  | { step: 'verification'; host: string; checks: CheckResult[]; failedUnits: UnitEvidence[] }
  | { step: 'invariant'; checks: CheckResult[] }
  | { step: 'job-deployment'; job: string; status: string; description: string; allocations: AllocationEvidence[] };

/** What the diagnosis knows of the rollout around the failure. */
export interface DiagnoseContext {
  /** Hosts of this rollout not activated yet, in rollout order. */
  pendingHosts: string[];
  /** Other names a host is known by in logs (FQDN, address), from its SSH target. */
  aliases: Record<string, string[]>;
}

export const noContext: DiagnoseContext = { pendingHosts: [], aliases: {} };
