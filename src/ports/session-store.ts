// What Steward records of agent sessions: each session's record, each action a session asked for
// (with policy's decision and the outcome), and each MCP tool call (the tool-call budget is
// counted here, so the `steward mcp` process and the runner agree). `adapters/store-sqlite` implements it.
import type { SessionRecord } from './session-runner.js';

export type ActionStatus = 'refused' | 'proposed' | 'approved' | 'rejected' | 'running' | 'succeeded' | 'failed' | 'rolled-back';

export interface ActionRecord {
  id: number;
  sessionId: string;
  /** The action class (`restart-unit`, ...): autonomy and rate limits apply per class. */
  actionClass: string;
  target: string;
  why: string;
  status: ActionStatus;
  detail: string;
  requestedAt: string;
  finishedAt: string | null;
  /** A person's decision on a proposed action (`steward action approve|reject`). */
  decision: 'approved' | 'rejected' | null;
}

export interface ToolCallRecord {
  sessionId: string;
  seq: number;
  tool: string;
  ok: boolean;
  at: string;
}

export interface SessionStore {
  saveSession(record: SessionRecord): void;
  /** Newest first. */
  sessions(filter: { limit?: number }): SessionRecord[];
  /** A session for an incident key that started after `since` and has not finished (a crashed one ages out). */
  openSessionFor(incidentKey: string, since: Date): string | null;
  markSessionStarted(id: string, incidentKey: string | null, startedAt: string): void;

  recordAction(input: Omit<ActionRecord, 'id' | 'requestedAt' | 'finishedAt' | 'decision'>): number;
  /** Records a person's decision on a proposed action; false when it is not (or no longer) proposed. */
  decideAction(id: number, decision: 'approved' | 'rejected'): boolean;
  updateAction(id: number, status: ActionStatus, detail: string): void;
  actions(filter: { sessionId?: string; actionClass?: string; limit?: number }): ActionRecord[];
  /** Executed (running, succeeded, failed, rolled back) actions of a class since a time. */
  executedSince(actionClass: string, since: Date): number;

  /** Counts the call and returns its sequence number within the session (1-based). */
  recordToolCall(sessionId: string, tool: string, ok: boolean): number;
  toolCalls(sessionId: string): ToolCallRecord[];
  close(): void;
}
