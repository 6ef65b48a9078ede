// The executor's check of a chosen strategy against policy (pure), before anything runs. It
// holds whoever chose (knowledge or Claude Code): at most one retry per commit and target; a
// risky change, or one that cut access, is never retried by itself; a reboot only inside the
// window, on a host whose policy allows it, one host at a time, with the quorum whole; a reorder
// only moves hosts this rollout still has to do. Anything refused becomes rollback-and-escalate.
import type { DeployFailure, Strategy } from '../../model/deploy-failure.js';
import type { Label } from '../../model/label.js';
import type { StrategyChoice } from './choose-strategy.js';

export interface StrategyPolicy {
  /** The change's final label (rules and review). */
  label: Label;
  /** Retries already recorded for this commit and target. */
  retriesUsed: number;
  rebootWindowOpen: boolean;
  rebootWindowText: string;
  /** The failed host's reboot policy (`hosts.<name>.reboot` or `deploy.reboot.mode`). */
  hostReboot: 'auto' | 'manual' | null;
  /** The failed host is a Consul/Nomad/Vault server. */
  quorumMember: boolean;
  /** Consul and Nomad quorum is whole right now (null: no cluster configured). */
  quorumWhole: boolean | null;
  /** Other hosts this run has rebooted or is rebooting: a boot-and-reboot goes alone. */
  rebootsInFlight: string[];
  /** Hosts of this rollout not activated yet. */
  pendingHosts: string[];
  /** Longest wait a retry may take. */
  maxWaitSeconds: number;
}

/** The longest wait a retry-after-wait may take, whatever a document or the model says. */
export const MAX_RETRY_WAIT_SECONDS = 600;

export type StrategyVerdict = { verdict: 'allowed' } | { verdict: 'refused'; reason: string };

const FOR_KIND: Record<DeployFailure['target']['kind'], Strategy[]> = {
  host: ['boot-and-reboot', 'retry-after-wait', 'reorder-hosts', 'rollback-and-escalate'],
  job: ['retry-after-wait', 'rollback-and-escalate'],
  invariant: ['retry-after-wait', 'rollback-and-escalate'],
};

export function validateStrategy(failure: DeployFailure, choice: StrategyChoice, policy: StrategyPolicy): StrategyVerdict {
  const refuse = (reason: string): StrategyVerdict => ({ verdict: 'refused', reason });
  if (choice.strategy === 'rollback-and-escalate') return { verdict: 'allowed' };
  if (!FOR_KIND[failure.target.kind].includes(choice.strategy)) return refuse(`${choice.strategy} does not apply to a failed ${failure.target.kind}`);
  if (policy.retriesUsed > 0) return refuse(`this commit was already retried on ${failure.target.kind} ${failure.target.name}: at most one retry per commit and target`);
  // A retry is an automatic deploy; a risky change is only ever deployed as a person approved it.
  if (policy.label === 'risky') return refuse('the change is risky: no strategy deploys it again without a person');
  if (failure.signature === 'host.lost-access') return refuse('the change cut access to the host: retrying it would cut it again');
  switch (choice.strategy) {
    case 'boot-and-reboot':
      if (policy.hostReboot !== 'auto') return refuse(`${failure.target.name} is rebooted by a person only (reboot policy ${policy.hostReboot ?? 'unknown'})`);
      if (!policy.rebootWindowOpen) return refuse(`outside the reboot window (${policy.rebootWindowText})`);
      if (policy.rebootsInFlight.some((h) => h !== failure.target.name)) return refuse(`one host at a time: ${policy.rebootsInFlight.join(', ')} is rebooting in this run`);
      if (policy.quorumMember && policy.quorumWhole === false) return refuse(`${failure.target.name} is a quorum member and the quorum is not whole`);
      return { verdict: 'allowed' };
    case 'retry-after-wait': {
      const wait = choice.waitSeconds ?? 0;
      if (wait < 1 || wait > policy.maxWaitSeconds) return refuse(`a wait of ${wait} s is outside 1-${policy.maxWaitSeconds} s`);
      return { verdict: 'allowed' };
    }
    case 'reorder-hosts': {
      const first = choice.hostsFirst ?? [];
      if (first.length === 0) return refuse('no host named to go first');
      const unknown = first.filter((h) => h === failure.target.name || !policy.pendingHosts.includes(h));
      if (unknown.length) return refuse(`${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a host this rollout still has to deploy`);
      return { verdict: 'allowed' };
    }
  }
}
