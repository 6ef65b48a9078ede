// Interprets what `claude -p --output-format json` printed: one result object, checked with zod,
// turned into an answer or a precise "no answer" reason (pure; the process runner is beside it).
import { z } from 'zod';
import type { ClaudeRunInfo, ClaudeRunResult, ClaudeUsage, NoAnswerReason, PermissionDenial } from '../../ports/claude.js';

const CliUsage = z.looseObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number().optional(),
  cache_read_input_tokens: z.number().optional(),
});

/** The result object (TESTING.md: measured with 2.1.197). Unknown keys are allowed: the CLI adds fields. */
export const CliResult = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  api_error_status: z.number().nullable().optional(),
  num_turns: z.number().optional(),
  // `error_max_turns` and `error_max_budget_usd` carry no `result`.
  result: z.string().optional(),
  total_cost_usd: z.number().optional(),
  usage: CliUsage.optional(),
  modelUsage: z.record(z.string(), z.unknown()).optional(),
  permission_denials: z.array(z.looseObject({ tool_name: z.string(), tool_input: z.unknown().optional() })).optional(),
  structured_output: z.unknown().optional(),
  errors: z.array(z.string()).optional(),
});
export type CliResult = z.infer<typeof CliResult>;

/** What the runner observed about the process, besides stdout. */
export interface ProcessOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  timedOut: boolean;
  /** The binary could not be started (ENOENT, EACCES). */
  spawnError?: string;
  durationMs: number;
  requestedModel?: string;
}

const DETAIL_LIMIT = 300;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > DETAIL_LIMIT ? `${flat.slice(0, DETAIL_LIMIT)}…` : flat;
}

/** The CLI prints one JSON object; tolerate stray lines around it (warnings from wrappers). */
export function parseCliStdout(stdout: string): CliResult | null {
  const candidates = [stdout.trim(), ...stdout.split('\n').reverse().map((l) => l.trim())].filter((s) => s.startsWith('{'));
  for (const text of candidates) {
    try {
      const parsed = CliResult.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // not JSON: try the next candidate
    }
  }
  return null;
}

function usageOf(result: CliResult): ClaudeUsage | null {
  if (!result.usage) return null;
  return {
    inputTokens: result.usage.input_tokens,
    outputTokens: result.usage.output_tokens,
    cacheReadInputTokens: result.usage.cache_read_input_tokens ?? 0,
    cacheCreationInputTokens: result.usage.cache_creation_input_tokens ?? 0,
  };
}

function infoOf(result: CliResult | null, outcome: ProcessOutcome): ClaudeRunInfo {
  const denials: PermissionDenial[] = (result?.permission_denials ?? []).map((d) => ({ tool: d.tool_name, input: d.tool_input }));
  // modelUsage keys look like `claude-opus-4-8[1m]`: drop the context-window suffix.
  const answered = Object.keys(result?.modelUsage ?? {})[0]?.replace(/\[[^\]]*\]$/, '');
  return {
    model: answered ?? outcome.requestedModel ?? null,
    costUsd: result?.total_cost_usd ?? null,
    usage: result ? usageOf(result) : null,
    numTurns: result?.num_turns ?? null,
    durationMs: outcome.durationMs,
    permissionDenials: denials,
  };
}

function noAnswer<T>(reason: NoAnswerReason, detail: string, info: ClaudeRunInfo): ClaudeRunResult<T> {
  return { ok: false, reason, detail, info };
}

/**
 * Turns a finished (or killed) process into a result. Order matters: a timeout wins over whatever
 * partial output exists; an error subtype wins over `is_error`; only a clean success whose
 * `structured_output` passes the schema is an answer.
 */
export function interpretCliOutcome<T>(outcome: ProcessOutcome, schema: z.ZodType<T>): ClaudeRunResult<T> {
  if (outcome.spawnError) return noAnswer('unavailable', clip(outcome.spawnError), infoOf(null, outcome));
  const result = parseCliStdout(outcome.stdout);
  const info = infoOf(result, outcome);
  if (outcome.timedOut) return noAnswer('timeout', `no answer within ${Math.round(outcome.durationMs / 1000)} s; process group killed`, info);
  if (!result) {
    const stderr = outcome.stderr.trim() ? `; stderr: ${clip(outcome.stderr)}` : '';
    return noAnswer('malformed-output', `exit ${outcome.exitCode ?? '?'}, stdout is not a result object${stderr}`, info);
  }
  const errors = result.errors?.length ? `: ${clip(result.errors.join('; '))}` : '';
  if (result.subtype === 'error_max_turns') return noAnswer('max-turns', `reached the turn limit after ${result.num_turns ?? '?'} turns${errors}`, info);
  if (result.subtype === 'error_max_budget_usd') return noAnswer('max-budget', `reached the budget limit at $${result.total_cost_usd ?? '?'}${errors}`, info);
  if (result.subtype !== 'success') return noAnswer('failed', `${result.subtype}${errors}`, info);
  if (result.is_error) {
    const status = result.api_error_status ? `API status ${result.api_error_status}: ` : '';
    return noAnswer('api-error', `${status}${clip(result.result ?? 'no message')}`, info);
  }
  if (result.structured_output === undefined || result.structured_output === null) {
    return noAnswer('no-structured-output', `answered in plain text: ${clip(result.result ?? '')}`, info);
  }
  const parsed = schema.safeParse(result.structured_output);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return noAnswer('invalid-answer', clip(issues.join('; ')), info);
  }
  return { ok: true, answer: parsed.data, info };
}
