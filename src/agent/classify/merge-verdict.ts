// The merge policy (SPEC safety invariant 1): the final label is the more severe of the rules' and
// the LLM's; the LLM never downgrades; invented evidence is dropped and flagged; no answer leaves
// the rules' verdict "unreviewed", or escalates to risky when review is required (pure).
import { mostSevere, severity, type Label } from '../../model/label.js';
import type { RulesVerdict, Verdict } from '../../model/review.js';
import type { ClassifyAnswer, DroppedReason, LlmReason } from './answer-schema.js';
import { checkEvidence, type EvidenceIndex } from './evidence-index.js';

export interface MergeInput {
  rules: RulesVerdict;
  /** The LLM's answer, or null when there is none. */
  answer: ClassifyAnswer | null;
  index: EvidenceIndex;
  /** `llm.mode: required` or `requireReview`: no answer means risky. */
  reviewRequired: boolean;
}

export interface MergeResult {
  /** The verdict without its `llm` field (the caller attaches the review record). */
  verdict: Omit<Verdict, 'llm'>;
  /** The answer with only verified reasons, and names it invented removed from blast radius and plan. */
  answer: ClassifyAnswer | null;
  dropped: DroppedReason[];
  /** Names in the blast radius or host order that are not in the change. */
  droppedNames: string[];
  llmLabel: Label | null;
  decidedBy: 'rules' | 'llm' | 'review-required';
  unsupportedEscalation: boolean;
}

function verifyReasons(reasons: LlmReason[], index: EvidenceIndex): { kept: LlmReason[]; dropped: DroppedReason[] } {
  const kept: LlmReason[] = [];
  const dropped: DroppedReason[] = [];
  for (const reason of reasons) {
    // One invented citation discredits the whole reason: it cannot be checked in seconds.
    const problems = reason.evidence.flatMap((e) => checkEvidence(e, index));
    if (problems.length) dropped.push({ reason, problems });
    else kept.push(reason);
  }
  return { kept, dropped };
}

function filterNames(names: string[], known: Set<string>, what: string, droppedNames: string[]): string[] {
  return names.filter((name) => {
    if (known.has(name)) return true;
    droppedNames.push(`${what} "${name}"`);
    return false;
  });
}

export function mergeVerdicts(input: MergeInput): MergeResult {
  const { rules, index } = input;
  if (!input.answer) {
    const escalate = input.reviewRequired && rules.label !== 'risky';
    return {
      verdict: { label: escalate ? 'risky' : rules.label, decidedBy: escalate ? 'review-required' : 'rules', reviewed: false, rules },
      answer: null,
      dropped: [],
      droppedNames: [],
      llmLabel: null,
      decidedBy: escalate ? 'review-required' : 'rules',
      unsupportedEscalation: false,
    };
  }
  const { kept, dropped } = verifyReasons(input.answer.reasons, index);
  const droppedNames: string[] = [];
  const answer: ClassifyAnswer = {
    ...input.answer,
    reasons: kept,
    blastRadius: {
      ...input.answer.blastRadius,
      hosts: filterNames(input.answer.blastRadius.hosts, index.hosts, 'host', droppedNames),
      jobs: filterNames(input.answer.blastRadius.jobs, index.jobs, 'job', droppedNames),
    },
    deployPlan: { ...input.answer.deployPlan, hostOrder: filterNames(input.answer.deployPlan.hostOrder, index.hosts, 'host', droppedNames) },
  };
  // A verified reason more severe than the stated label still counts: the LLM can only add caution.
  const llmLabel = mostSevere(input.answer.label, ...kept.map((r) => r.label));
  const final = mostSevere(rules.label, llmLabel);
  const escalated = severity(llmLabel) > severity(rules.label);
  return {
    verdict: { label: final, decidedBy: escalated ? 'llm' : 'rules', reviewed: true, rules },
    answer,
    dropped,
    droppedNames,
    llmLabel,
    decidedBy: escalated ? 'llm' : 'rules',
    // Escalation stands even without verified support (stopping to ask is the safe side), but is flagged.
    unsupportedEscalation: escalated && !kept.some((r) => severity(r.label) >= severity(llmLabel)),
  };
}
