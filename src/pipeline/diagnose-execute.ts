// Runs an allowed strategy through the deploy machinery and settles the diagnosis: verified, or
// failed (then escalated: the ledger already holds the one retry, so nothing runs again). The
// machinery is the deploy's own (guarded activation, reboot, job registration, verification),
// passed in by the deploy pipeline: a strategy never reaches a host any other way.
import type { DiagnosisDecision } from '../model/deploy-failure.js';
import type { DiagnosisStore } from '../ports/diagnosis-store.js';
import type { Logger } from '../ports/logger.js';
import { settleDiagnosis, type Diagnosis } from './diagnose-failure.js';

export interface StrategyStep {
  ok: boolean;
  /** What ran and how it was verified, or why it failed. */
  detail: string;
}

export interface StrategyMachinery {
  /** The same generation for the next boot (guarded, recorded), a reboot, and the booted system verified. */
  bootAndReboot(host: string): Promise<StrategyStep>;
  /** The same commit deployed to the target again (host, job), and verified with its invariants. */
  redeploy(target: DiagnosisDecision['failure']['target']): Promise<StrategyStep>;
  /** These hosts deployed in this order, each verified before the next. */
  deployInOrder(hosts: string[]): Promise<StrategyStep>;
  wait(ms: number): Promise<void>;
}

export async function executeStrategy(deps: { machinery: StrategyMachinery; store: DiagnosisStore; logger: Logger }, diagnosis: Diagnosis, sha: string): Promise<DiagnosisDecision> {
  const { choice, decision } = diagnosis;
  const target = decision.failure.target;
  let step: StrategyStep;
  switch (diagnosis.strategy) {
    case 'rollback-and-escalate':
      return decision;
    case 'boot-and-reboot':
      step = await deps.machinery.bootAndReboot(target.name);
      break;
    case 'retry-after-wait': {
      const seconds = choice.waitSeconds ?? 60;
      deps.logger.info(`${target.kind} ${target.name}: waiting ${seconds} s before the one retry`);
      await deps.machinery.wait(seconds * 1000);
      step = await deps.machinery.redeploy(target);
      break;
    }
    case 'reorder-hosts':
      step = await deps.machinery.deployInOrder([...(choice.hostsFirst ?? []), target.name]);
      break;
  }
  const outcome = step.ok ? 'verified' : 'failed';
  const detail = step.ok ? step.detail : `${diagnosis.strategy} did not resolve it (${step.detail}); rolled back, a person decides`;
  return settleDiagnosis(deps, diagnosis, sha, outcome, detail);
}
