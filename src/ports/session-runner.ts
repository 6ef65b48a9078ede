// Runs one agent session for a trigger: gather context, investigate (Claude Code with Steward's
// MCP tools, or rules-only triage without it), act within policy, escalate, record. `steward
// check|on-failure|ask` call it directly; `steward serve` calls it from its durable queue.
import type { SessionAnswer, SessionTrigger } from '../model/agent-session.js';
import type { NotifyResult } from './notifier.js';

export interface SessionActionOutcome {
  /** Id in the action record (`steward history --actions`). */
  id: number;
  action: string;
  target: string;
  /** What policy and autonomy decided, and what happened. */
  status: 'refused' | 'proposed' | 'succeeded' | 'failed' | 'rolled-back';
  detail: string;
}

export interface SessionRecord {
  id: string;
  trigger: SessionTrigger;
  goal: string;
  /** `llm`: Claude Code investigated; `rules-only`: deterministic triage (no logged-in `claude`, or llm off). */
  mode: 'llm' | 'rules-only';
  startedAt: string;
  finishedAt: string;
  /** The model's checked answer, or the rules-only triage's answer; null when there was none. */
  answer: SessionAnswer | null;
  /** Why there is no answer (timeout, budget, out of schema), when there is none. */
  noAnswer?: { reason: string; detail: string };
  actions: SessionActionOutcome[];
  escalated: boolean;
  notifications: NotifyResult[];
  stats: { contextTokens: number; turns: number | null; toolCalls: number; costUsd: number | null; durationMs: number };
}

export interface SessionRunOptions {
  /** Stops the session (wall-clock kill of its process group), e.g. when `steward serve` shuts down. */
  signal?: AbortSignal;
}

export interface SessionRunner {
  run(trigger: SessionTrigger, options?: SessionRunOptions): Promise<SessionRecord>;
}
