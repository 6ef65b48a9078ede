// The LLM review of a change: render the prompt, reuse a cached answer or run Claude Code once,
// then merge with the rules' verdict so that the LLM can only escalate.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { digestChangeSet } from '../../model/changeset.js';
import type { RulesVerdict, Verdict } from '../../model/review.js';
import type { CachePort } from '../../ports/cache.js';
import { ClaudeUsage, type ClaudePort, type ClaudeRunResult } from '../../ports/claude.js';
import type { Logger } from '../../ports/logger.js';
import { Redactor } from '../../redact.js';
import { CLASSIFY_ANSWER_VERSION, ClassifyAnswer, LLM_REVIEW_VERSION, type LlmReview, type PromptStats } from './answer-schema.js';
import { buildEvidenceIndex } from './evidence-index.js';
import { loadClassifyGoals } from './load-goals.js';
import { mergeVerdicts, type MergeResult } from './merge-verdict.js';
import { parseUnifiedDiff } from './parse-patch.js';
import type { ChangeSetForReview } from './render-changeset.js';
import { CLASSIFY_SYSTEM_PROMPT, DEFAULT_PROMPT_TOKEN_BUDGET, renderClassifyPrompt } from './render-prompt.js';
import { estimateTokens } from './select-hunks.js';

/** The LLM settings the review needs; `LlmConfig` from the config schema fits, plus two extras. */
export interface LlmReviewOptions {
  mode: 'off' | 'auto' | 'required';
  model?: string | undefined;
  timeoutSeconds: number;
  maxTurns: number;
  maxBudgetUsd?: number | undefined;
  /** No usable answer escalates to risky even in `auto` mode (review.required). */
  requireReview?: boolean | undefined;
  promptTokenBudget?: number | undefined;
}

export interface LlmReviewDeps {
  claude: ClaudePort;
  cache: CachePort;
  logger: Logger;
  /** Steward's goals directory (classify.md, knowledge/). Never the reviewed change's checkout. */
  goalsDir: string;
  redactor?: Redactor;
  /** The session's cwd; no tools are offered, so any neutral directory will do. Default: tmpdir. */
  workDir?: string;
}

export interface LlmReviewInput {
  changeSet: ChangeSetForReview;
  rules: RulesVerdict;
  /** The textual diff, secret files already excluded by the caller (they are dropped again here). */
  patch: string;
  /** Untrusted: sanitised and fenced. */
  commitMessages: string[];
  config: LlmReviewOptions;
  noCache?: boolean;
}

const CachedAnswer = z
  .object({
    version: z.literal(CLASSIFY_ANSWER_VERSION),
    answer: ClassifyAnswer,
    model: z.string().nullable(),
    costUsd: z.number().nullable(),
    usage: ClaudeUsage.nullable(),
  })
  .strict();
type CachedAnswer = z.infer<typeof CachedAnswer>;

const NO_PROMPT: PromptStats = {
  chars: 0,
  estimatedTokens: 0,
  budgetTokens: 0,
  overBudget: false,
  hunksIncluded: 0,
  hunksOmitted: 0,
  filesSummarised: [],
  secretFiles: [],
  sanitised: { htmlComments: 0, invisible: 0, fenceMarkers: 0 },
};

/**
 * The key holds the ChangeSet digest (an identical change reuses its answer) and a digest of the
 * exact prompt and model (a new template, knowledge or model asks again).
 */
export function buildCacheKey(changeSetDigest: string, prompt: string, model: string | undefined): string {
  const promptDigest = createHash('sha256').update(model ?? '(default)').update('\0').update(prompt).digest('hex').slice(0, 16);
  return `llm-classify:${CLASSIFY_ANSWER_VERSION}:${changeSetDigest}:${promptDigest}`;
}

async function readCache(cache: CachePort, key: string, logger: Logger): Promise<CachedAnswer | null> {
  const stored = await cache.get<unknown>(key);
  if (stored === undefined) return null;
  const parsed = CachedAnswer.safeParse(stored);
  if (!parsed.success) logger.debug(`LLM cache entry ${key} has an unexpected shape: ignored`);
  return parsed.success ? parsed.data : null;
}

/** What one review run observed, besides the merge: outcome, cost, usage, prompt size. */
type RunFacts = Pick<LlmReview, 'status' | 'cached' | 'model' | 'costUsd' | 'usage' | 'permissionDenials' | 'prompt'> & Partial<Pick<LlmReview, 'noAnswer'>>;

function buildReviewRecord(merge: MergeResult, facts: RunFacts, context: { rules: RulesVerdict; changeSetDigest: string; durationMs: number }): LlmReview {
  return {
    schema: LLM_REVIEW_VERSION,
    ...facts,
    ...(merge.answer ? { answer: merge.answer } : {}),
    droppedReasons: merge.dropped,
    droppedNames: merge.droppedNames,
    unsupportedEscalation: merge.unsupportedEscalation,
    rulesLabel: context.rules.label,
    llmLabel: merge.llmLabel,
    finalLabel: merge.verdict.label,
    decidedBy: merge.decidedBy,
    durationMs: context.durationMs,
    changeSetDigest: context.changeSetDigest,
  };
}

export async function reviewWithLlm(deps: LlmReviewDeps, input: LlmReviewInput): Promise<{ verdict: Verdict; llm: LlmReview }> {
  const started = performance.now();
  const { config } = input;
  const reviewRequired = config.mode === 'required' || config.requireReview === true;
  const changeSetDigest = digestChangeSet(input.changeSet);
  const patchFiles = parseUnifiedDiff(input.patch);
  const index = buildEvidenceIndex(input.changeSet, input.rules, patchFiles);
  const finish = (merge: MergeResult, facts: RunFacts) => {
    const llm = buildReviewRecord(merge, facts, { rules: input.rules, changeSetDigest, durationMs: Math.round(performance.now() - started) });
    return { verdict: { ...merge.verdict, llm }, llm };
  };

  if (config.mode === 'off') {
    const merge = mergeVerdicts({ rules: input.rules, answer: null, index, reviewRequired });
    const none = { model: null, costUsd: null, usage: null, permissionDenials: [], prompt: NO_PROMPT };
    return finish(merge, { status: 'skipped', cached: false, ...none, noAnswer: { reason: 'disabled', detail: 'llm.mode is off' } });
  }

  const goals = await loadClassifyGoals(deps.goalsDir);
  const rendered = renderClassifyPrompt(goals, input, config.promptTokenBudget ?? DEFAULT_PROMPT_TOKEN_BUDGET);
  // Secrets never reach a prompt: known values and token shapes are replaced before it leaves.
  const prompt = (deps.redactor ?? new Redactor()).redact(rendered.text);
  const stats = { ...rendered.stats, chars: prompt.length, estimatedTokens: estimateTokens(prompt) };
  const key = buildCacheKey(changeSetDigest, prompt, config.model);

  const cached = input.noCache ? null : await readCache(deps.cache, key, deps.logger);
  if (cached) {
    deps.logger.info(`LLM review: reusing the cached answer for change ${changeSetDigest.slice(0, 12)}`);
    const merge = mergeVerdicts({ rules: input.rules, answer: cached.answer, index, reviewRequired });
    return finish(merge, { status: 'answered', cached: true, model: cached.model, costUsd: cached.costUsd, usage: cached.usage, permissionDenials: [], prompt: stats });
  }

  deps.logger.info(`LLM review: asking Claude Code (${stats.chars} chars, ~${stats.estimatedTokens} tokens)`);
  const result: ClaudeRunResult<ClassifyAnswer> = await deps.claude.run({
    prompt,
    appendSystemPrompt: CLASSIFY_SYSTEM_PROMPT,
    answerSchema: ClassifyAnswer,
    // Classification needs no tools: everything it may look at is in the prompt.
    allowedTools: [],
    maxTurns: config.maxTurns,
    timeoutMs: Math.round(config.timeoutSeconds * 1000),
    ...(config.model ? { model: config.model } : {}),
    ...(config.maxBudgetUsd !== undefined ? { maxBudgetUsd: config.maxBudgetUsd } : {}),
    cwd: deps.workDir ?? tmpdir(),
  });
  const runInfo = { model: result.info.model, costUsd: result.info.costUsd, usage: result.info.usage, permissionDenials: result.info.permissionDenials, prompt: stats };
  if (!result.ok) {
    deps.logger.warn(`LLM review: no answer (${result.reason}): ${result.detail}`);
    const merge = mergeVerdicts({ rules: input.rules, answer: null, index, reviewRequired });
    return finish(merge, { status: 'no-answer', cached: false, ...runInfo, noAnswer: { reason: result.reason, detail: result.detail } });
  }
  // Only answers are cached: a failure is retried on the next run.
  await deps.cache.set<CachedAnswer>(key, { version: CLASSIFY_ANSWER_VERSION, answer: result.answer, model: result.info.model, costUsd: result.info.costUsd, usage: result.info.usage });
  const merge = mergeVerdicts({ rules: input.rules, answer: result.answer, index, reviewRequired });
  if (merge.dropped.length) deps.logger.warn(`LLM review: ${merge.dropped.length} reasons dropped (evidence not in the change)`);
  return finish(merge, { status: 'answered', cached: false, ...runInfo });
}
