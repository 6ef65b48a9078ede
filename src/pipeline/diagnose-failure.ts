// One failed deploy step, diagnosed: classify its evidence, choose a strategy (the knowledge's
// deterministic mapping, or Claude Code's pick when a chooser is wired), validate the choice
// against policy, claim the one retry, and record the decision with its evidence. What runs next
// is the caller's (the deploy machinery); it reports back through `settleDiagnosis`.
import type { DiagnosisDecision, Strategy } from '../model/deploy-failure.js';
import type { DiagnosisStore } from '../ports/diagnosis-store.js';
import type { Logger } from '../ports/logger.js';
import type { Redactor } from '../redact.js';
import { chooseByKnowledge, type StrategyChoice } from '../stages/diagnose/choose-strategy.js';
import type { DiagnoseContext, FailedStep } from '../stages/diagnose/failed-step.js';
import { classifyFailure } from '../stages/diagnose/failure-signature.js';
import { renderDiagnosisLine } from '../stages/diagnose/render-diagnosis.js';
import { suggestKnowledgeEntry } from '../stages/diagnose/suggest-knowledge.js';
import { validateStrategy, type StrategyPolicy } from '../stages/diagnose/validate-strategy.js';
import type { FailureKnowledge } from './diagnose-knowledge.js';
import type { DeployFailure } from '../model/deploy-failure.js';

/** Claude Code's part (diagnose-llm.ts): a pick among the fixed strategies, or no answer. */
export interface StrategyChooser {
  choose(input: { failure: DeployFailure; proposal: StrategyChoice; policy: StrategyPolicy; knowledge: FailureKnowledge }): Promise<{ ok: true; choice: StrategyChoice } | { ok: false; reason: string }>;
}

export interface DiagnoseDeps {
  store: DiagnosisStore;
  knowledge: FailureKnowledge;
  chooser?: StrategyChooser;
  logger: Logger;
  redactor: Redactor;
}

export interface DiagnoseInput {
  runId: number | null;
  sha: string;
  step: FailedStep;
  context: DiagnoseContext;
  policy: Omit<StrategyPolicy, 'retriesUsed' | 'pendingHosts'>;
}

export interface Diagnosis {
  id: number;
  decision: DiagnosisDecision;
  choice: StrategyChoice;
  /** What runs: the allowed choice, or rollback-and-escalate. */
  strategy: Strategy;
}

export async function diagnoseFailure(deps: DiagnoseDeps, input: DiagnoseInput): Promise<Diagnosis> {
  const failure = classifyFailure(input.step, input.context);
  const targetKey = `${failure.target.kind}:${failure.target.name}`;
  const policy: StrategyPolicy = { ...input.policy, retriesUsed: deps.store.retriesUsed(input.sha, targetKey), pendingHosts: input.context.pendingHosts };
  let choice = chooseByKnowledge(failure, deps.knowledge);
  if (deps.chooser && policy.retriesUsed === 0) {
    const picked = await deps.chooser.choose({ failure, proposal: choice, policy, knowledge: deps.knowledge });
    if (picked.ok) choice = picked.choice;
    else deps.logger.warn(`diagnosis of ${targetKey}: Claude Code gave no usable answer (${picked.reason}); the knowledge's choice stands`);
  }
  let verdict = validateStrategy(failure, choice, policy);
  // The ledger is the last word: a concurrent or earlier run that retried already wins.
  if (verdict.verdict === 'allowed' && choice.strategy !== 'rollback-and-escalate' && !deps.store.claimRetry({ sha: input.sha, target: targetKey, strategy: choice.strategy, signature: choice.signature })) {
    verdict = { verdict: 'refused', reason: `this commit was already retried on ${targetKey}: at most one retry per commit and target` };
  }
  const strategy: Strategy = verdict.verdict === 'allowed' ? choice.strategy : 'rollback-and-escalate';
  const decision: DiagnosisDecision = {
    failure: { ...failure, summary: deps.redactor.redact(failure.summary), evidence: failure.evidence.map((e) => (e.detail ? { ...e, detail: deps.redactor.redact(e.detail) } : e)) },
    signature: choice.signature,
    proposed: choice.strategy,
    chosenBy: choice.chosenBy,
    why: deps.redactor.redact(choice.why),
    ...(choice.source ? { source: choice.source } : {}),
    knownSignature: !choice.unknownSignature,
    strategy,
    ...(verdict.verdict === 'refused' ? { refused: verdict.reason } : {}),
    outcome: strategy === 'rollback-and-escalate' ? 'escalated' : 'pending',
    detail: strategy === 'rollback-and-escalate' ? 'rolled back; a person decides' : '',
  };
  const id = deps.store.recordDiagnosis({ runId: input.runId, sha: input.sha, decision });
  deps.logger.warn(renderDiagnosisLine(decision));
  return { id, decision, choice, strategy };
}

/** How the strategy ended; a verified resolution of an unknown failure is written down as a suggestion. */
export function settleDiagnosis(deps: Pick<DiagnoseDeps, 'store' | 'logger'>, diagnosis: Diagnosis, sha: string, outcome: DiagnosisDecision['outcome'], detail: string): DiagnosisDecision {
  deps.store.settleDiagnosis(diagnosis.id, outcome, detail);
  const decision: DiagnosisDecision = { ...diagnosis.decision, outcome, detail };
  deps.logger.info(renderDiagnosisLine(decision));
  const draft = suggestKnowledgeEntry(decision, sha);
  if (draft && deps.store.suggestKnowledge({ sha, signature: draft.signature, strategy: draft.strategy, body: draft.body }) > 0) {
    deps.logger.info(`knowledge suggestion recorded for ${draft.file} in the state store (knowledge_suggestions)`);
  }
  return decision;
}
