// Claude Code, as Steward needs it: one print-mode session with a prompt, an answer schema, a tool
// allowlist and limits, returning a checked answer or "no answer" with why, plus cost and usage.
import { z } from 'zod';

/** Why a session produced no usable answer. Every one leaves the rules' verdict standing. */
export const NoAnswerReason = z.enum([
  /** The binary is missing or cannot start. */
  'unavailable',
  /** Steward's wall-clock timeout fired and the process group was killed. */
  'timeout',
  /** The API answered with an error (`is_error`, e.g. `api_error_status: 500`). */
  'api-error',
  /** `error_max_turns`: the session hit `--max-turns` before answering. */
  'max-turns',
  /** `error_max_budget_usd`: the session hit `--max-budget-usd`. */
  'max-budget',
  /** The session "succeeded" in plain text without calling the structured-output tool. */
  'no-structured-output',
  /** `structured_output` is present but does not satisfy the answer schema. */
  'invalid-answer',
  /** stdout is not the CLI's result object. */
  'malformed-output',
  /** Any other failure (another error subtype, a crash). */
  'failed',
]);
export type NoAnswerReason = z.infer<typeof NoAnswerReason>;

export const ClaudeUsage = z
  .object({
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheReadInputTokens: z.number(),
    cacheCreationInputTokens: z.number(),
  })
  .strict();
export type ClaudeUsage = z.infer<typeof ClaudeUsage>;

/** A tool call the allowlist refused (it did not run). */
export const PermissionDenial = z.object({ tool: z.string(), input: z.unknown() }).strict();
export type PermissionDenial = z.infer<typeof PermissionDenial>;

export interface ClaudeRunInfo {
  /** Model that answered (from the CLI's per-model usage), or the requested one. */
  model: string | null;
  costUsd: number | null;
  usage: ClaudeUsage | null;
  numTurns: number | null;
  durationMs: number;
  permissionDenials: PermissionDenial[];
}

export interface ClaudeRunRequest<T> {
  /** The whole user prompt (already sanitised and redacted by the caller). */
  prompt: string;
  /** Trusted instructions appended to Claude Code's system prompt. */
  appendSystemPrompt?: string;
  /** The answer's schema: sent as JSON Schema, and checked again on the way back. */
  answerSchema: z.ZodType<T>;
  /**
   * Explicit allowlist in Claude Code's rule syntax (`Read`, `Bash(echo:*)`). Empty = no tools at
   * all. Only the tools named here are even offered to the model.
   */
  allowedTools: readonly string[];
  /** Rules denied even when a broader allow rule matches (e.g. `Read(./secrets/**)`). */
  disallowedTools?: readonly string[];
  maxTurns: number;
  /** Wall-clock limit for the whole session; the process group is killed when it passes. */
  timeoutMs: number;
  model?: string;
  maxBudgetUsd?: number;
  /** Working directory of the session (the only directory file tools may touch). */
  cwd: string;
  /**
   * An MCP configuration file (`{"mcpServers": {...}}`): its servers are the session's only MCP
   * servers (`--strict-mcp-config`); their tools are allowed as `mcp__<server>__<tool>` rules.
   */
  mcpConfigFile?: string;
  /** Stops the session early: its process group is killed, as at the wall-clock limit. */
  signal?: AbortSignal;
}

export type ClaudeRunResult<T> =
  | { ok: true; answer: T; info: ClaudeRunInfo }
  | { ok: false; reason: NoAnswerReason; detail: string; info: ClaudeRunInfo };

export interface ClaudePort {
  /** The CLI's version (e.g. `2.1.197`), or null when it cannot run here. */
  version(): Promise<string | null>;
  /** Runs one session. Never throws for an expected failure: that is a `{ok: false}` result. */
  run<T>(request: ClaudeRunRequest<T>): Promise<ClaudeRunResult<T>>;
}
