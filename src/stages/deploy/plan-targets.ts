// The target plan (pure): which base each target is compared with, which review speaks for it,
// what is done to it (switch, boot + reboot, register, nothing), and in which order hosts roll.
import type { StewardConfig } from '../../config/schema.js';
import type { HostChange } from '../../model/host-change.js';
import type { JobChange } from '../../model/job-change.js';
import type { JobPlan } from '../../model/job-plan.js';
import { mostSevere, type Label } from '../../model/label.js';
import type { ReviewReport } from '../../model/review.js';
import type { TargetRecord } from '../../model/deploy-record.js';

/** Roles whose members hold a Raft quorum: never two of them at once. */
export const QUORUM_ROLES = new Set(['consul-server', 'nomad-server', 'vault-server']);

export interface HostTarget {
  host: string;
  roles: string[];
  quorum: boolean;
  batch: number | null;
  base: string;
  toplevel: string;
  label: Label;
  change: HostChange;
  activation: 'switch' | 'boot';
  reboot: 'auto' | 'manual';
}

export interface JobTarget {
  job: string;
  file: string;
  base: string;
  label: Label;
  change: JobChange;
  plan: JobPlan;
}

/** A job removed from the repository: Steward stops it (no purge, so a revert stays possible). */
export interface JobStop {
  job: string;
  base: string;
  label: Label;
  change: JobChange;
}

export interface TargetPlan {
  hosts: HostTarget[];
  jobs: JobTarget[];
  stops: JobStop[];
  /** Targets left alone, with why (unchanged ones are not listed: they are in `unchanged`). */
  skipped: TargetRecord[];
  /** Targets the commit does not change for their base: their last good commit moves to head. */
  unchanged: { kind: 'host' | 'job'; name: string }[];
  label: Label;
}

export interface PlanInput {
  head: string;
  /** Review per base commit. */
  reviews: Map<string, ReviewReport>;
  /** A target's base: its last good commit, else the fleet base. */
  baseOf: (kind: 'host' | 'job', name: string) => string;
  config: StewardConfig;
  /** Whether Steward can reach the host (a target is configured, or fixture hosts are in use). */
  reachable: (host: string) => boolean;
}

const skip = (kind: 'host' | 'job', name: string, message: string): TargetRecord => ({ kind, name, result: 'skipped', action: 'none', from: null, to: null, message, pendingReboot: false, verification: [], durationMs: 0 });

export function planTargets(input: PlanInput): TargetPlan {
  const plan: TargetPlan = { hosts: [], jobs: [], stops: [], skipped: [], unchanged: [], label: 'clean' };
  const labels: Label[] = [];
  const usedBases = new Set<string>();
  const hostNames = new Set([...input.reviews.values()].flatMap((r) => r.changeSet.hosts.map((h) => h.host)));
  for (const host of [...hostNames].sort()) {
    const base = input.baseOf('host', host);
    const review = base === input.head ? null : input.reviews.get(base);
    const change = review?.changeSet.hosts.find((h) => h.host === host);
    if (!review || !change || change.status === 'unchanged') {
      plan.unchanged.push({ kind: 'host', name: host });
      continue;
    }
    usedBases.add(base);
    if (change.status === 'removed') {
      plan.skipped.push(skip('host', host, 'removed from the flake: Steward leaves it alone (a human decides)'));
      continue;
    }
    if (!change.toplevel.head) {
      plan.skipped.push(skip('host', host, 'no toplevel was built for it'));
      continue;
    }
    if (!input.reachable(host)) {
      plan.skipped.push(skip('host', host, `no target in steward.json (hosts.${host}.target): not deployed`));
      continue;
    }
    const label = review.verdict.rules.hosts[host] ?? 'clean';
    labels.push(label);
    const hostConfig = input.config.hosts[host];
    plan.hosts.push({
      host,
      roles: change.roles,
      quorum: change.roles.some((r) => QUORUM_ROLES.has(r)),
      batch: hostConfig?.batch ?? null,
      base,
      toplevel: change.toplevel.head,
      label,
      change,
      activation: label === 'needs-reboot' ? (hostConfig?.needsReboot ?? input.config.deploy.needsReboot) : 'switch',
      reboot: hostConfig?.reboot ?? input.config.deploy.reboot.mode,
    });
  }
  const jobNames = new Set([...input.reviews.values()].flatMap((r) => r.changeSet.jobs.map((j) => j.job)));
  for (const job of [...jobNames].sort()) {
    const base = input.baseOf('job', job);
    const review = base === input.head ? null : input.reviews.get(base);
    const change = review?.changeSet.jobs.find((j) => j.job === job);
    if (!review || !change) {
      plan.unchanged.push({ kind: 'job', name: job });
      continue;
    }
    usedBases.add(base);
    const label = review.verdict.rules.jobs[job] ?? 'clean';
    labels.push(label);
    if (change.change === 'removed') {
      // A removed job that holds data is risky (held for approval by the gate); once approved or
      // when it holds none, it is stopped like `nomad job stop`.
      plan.stops.push({ job, base, label, change });
      continue;
    }
    if (!change.plan.planned) {
      plan.skipped.push({ ...skip('job', job, `cannot be deployed: ${change.plan.note}`), result: 'failed' });
      continue;
    }
    plan.jobs.push({ job, file: change.file, base, label, change, plan: change.plan.plan });
  }
  // Reasons that name no host or job (secrets, flake inputs, the LLM's own escalation) hold for
  // the whole commit, in every review that has targets.
  for (const [base, review] of input.reviews) {
    if (!usedBases.has(base)) continue;
    labels.push(...review.verdict.rules.reasons.filter((r) => r.evidence.every((e) => !e.host && !e.job)).map((r) => r.label));
    if (review.verdict.decidedBy !== 'rules') labels.push(review.verdict.label);
  }
  plan.label = mostSevere(...labels);
  return plan;
}

/**
 * The order hosts roll in, as waves that run together: each configured batch of ordinary hosts
 * together, other ordinary hosts one at a time, then quorum members strictly one at a time.
 */
export function planWaves(hosts: HostTarget[]): HostTarget[][] {
  const byName = (a: HostTarget, b: HostTarget) => a.host.localeCompare(b.host);
  const ordinary = hosts.filter((h) => !h.quorum);
  const batches = new Map<number, HostTarget[]>();
  for (const h of ordinary.filter((h) => h.batch !== null)) batches.set(h.batch as number, [...(batches.get(h.batch as number) ?? []), h]);
  return [
    ...[...batches.entries()].sort(([a], [b]) => a - b).map(([, wave]) => wave.sort(byName)),
    ...ordinary.filter((h) => h.batch === null).sort(byName).map((h) => [h]),
    ...hosts.filter((h) => h.quorum).sort(byName).map((h) => [h]),
  ];
}
