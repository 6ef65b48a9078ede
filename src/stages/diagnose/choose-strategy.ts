// The deterministic choice (pure): the strategy the knowledge documents map the failure's
// signature to; no mapping means rollback-and-escalate. Claude Code may propose another one
// (diagnose-llm); either choice then goes through the same validator before anything runs.
import type { DeployFailure, Strategy } from '../../model/deploy-failure.js';
import { lookupSignature, type FailureMapping } from './knowledge-mappings.js';

export interface StrategyChoice {
  strategy: Strategy;
  /** The failure's signature after custom matching (a `repo.*` one when a repository block matched). */
  signature: string;
  chosenBy: 'knowledge' | 'no-knowledge' | 'llm';
  why: string;
  /** The knowledge document the mapping came from. */
  source?: string;
  /** retry-after-wait: seconds to wait before the one retry. */
  waitSeconds?: number;
  /** reorder-hosts: the hosts to deploy before the one that failed. */
  hostsFirst?: string[];
  /** The signature matched no knowledge at all: a resolution by a strategy is worth writing down. */
  unknownSignature: boolean;
}

export const DEFAULT_WAIT_SECONDS = 60;

export function chooseByKnowledge(failure: DeployFailure, knowledge: { repo: FailureMapping[]; steward: FailureMapping[] }): StrategyChoice {
  const { signature, mapping } = lookupSignature(failure, knowledge.repo, knowledge.steward);
  if (!mapping) {
    return { strategy: 'rollback-and-escalate', signature, chosenBy: 'no-knowledge', why: `no knowledge document maps ${signature}: rolled back, a person decides`, unknownSignature: true };
  }
  return {
    strategy: mapping.strategy,
    signature,
    chosenBy: 'knowledge',
    why: mapping.why,
    source: mapping.source,
    unknownSignature: false,
    ...(mapping.strategy === 'retry-after-wait' ? { waitSeconds: mapping.waitSeconds ?? DEFAULT_WAIT_SECONDS } : {}),
    ...(mapping.strategy === 'reorder-hosts' ? { hostsFirst: failure.dependsOn } : {}),
  };
}
