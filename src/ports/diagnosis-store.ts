// Where diagnoses are kept: every decision with its evidence, the one-retry ledger (per commit
// and target, so that no crash or second run can retry twice), and knowledge suggestions learned
// from failures no document knew. `adapters/store-sqlite/diagnosis-store` implements it.
import type { DiagnosisDecision } from '../model/deploy-failure.js';

export interface DiagnosisRow {
  id: number;
  runId: number | null;
  sha: string;
  decision: DiagnosisDecision;
  at: string;
}

export interface KnowledgeSuggestion {
  id: number;
  sha: string;
  signature: string;
  strategy: string;
  /** Markdown with a steward-failure block, ready for `.steward/knowledge/`. */
  body: string;
  at: string;
}

export interface DiagnosisStore {
  /** Retries recorded for this commit and target. */
  retriesUsed(sha: string, target: string): number;
  /** Records the one retry; false when this commit and target already had theirs (nothing recorded). */
  claimRetry(input: { sha: string; target: string; strategy: string; signature: string }): boolean;
  recordDiagnosis(input: { runId: number | null; sha: string; decision: DiagnosisDecision }): number;
  /** Sets how a recorded decision ended. */
  settleDiagnosis(id: number, outcome: DiagnosisDecision['outcome'], detail: string): void;
  diagnoses(filter: { sha?: string; limit?: number }): DiagnosisRow[];
  suggestKnowledge(input: Omit<KnowledgeSuggestion, 'id' | 'at'>): number;
  knowledgeSuggestions(limit?: number): KnowledgeSuggestion[];
  close(): void;
}
