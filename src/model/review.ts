// The review report: the one document `steward review --json` prints, versioned so that
// consumers (the GitHub reporter, the deploy gate, other tools) can rely on its shape.
import { z } from 'zod';
import { ChangeSet, AnalysisLevel } from './changeset.js';
import { Label } from './label.js';
import { Reason } from './evidence.js';
import { LlmReview } from '../agent/classify/answer-schema.js';

export const REVIEW_SCHEMA_VERSION = 'steward.review/v1';

export const RulesVerdict = z
  .object({
    label: Label,
    reasons: z.array(Reason),
    /** Per-host label (the most severe reason citing that host). */
    hosts: z.record(z.string(), Label),
    /** Per-job label (the most severe reason citing that Nomad job). */
    jobs: z.record(z.string(), Label),
  })
  .strict();
export type RulesVerdict = z.infer<typeof RulesVerdict>;

export const Verdict = z
  .object({
    label: Label,
    /**
     * Which verdict set the final label: the rules' floor, an escalation by the LLM, or
     * `review-required`: no usable LLM answer while review is required, so held as risky.
     */
    decidedBy: z.enum(['rules', 'llm', 'review-required']),
    /** False when no LLM review took place (off, unavailable, or no usable answer). */
    reviewed: z.boolean(),
    rules: RulesVerdict,
    /** The LLM review when it was attempted (see agent/classify): answer or why none, cost, prompt size. */
    llm: LlmReview.optional(),
  })
  .strict();
export type Verdict = z.infer<typeof Verdict>;

export const Timings = z
  .object({
    detectMs: z.number(),
    evalMs: z.number(),
    buildMs: z.number(),
    analyzeMs: z.number(),
    classifyMs: z.number(),
    totalMs: z.number(),
  })
  .strict();
export type Timings = z.infer<typeof Timings>;

export const BuildStats = z
  .object({
    nix: z.string().nullable(),
    hostsTotal: z.number().int(),
    hostsChanged: z.number().int(),
    toplevelsBuilt: z.number().int(),
    evalProcesses: z.number().int(),
    /** Whether the base revision's drvPaths came from an earlier run's cache. */
    baseFromCache: z.boolean(),
  })
  .strict();
export type BuildStats = z.infer<typeof BuildStats>;

/** `build-failed` and `validation-failed` mean nothing would be deployed. */
export const ReviewOutcome = z.enum(['reviewed', 'build-failed', 'validation-failed']);
export type ReviewOutcome = z.infer<typeof ReviewOutcome>;

export const ReviewReport = z
  .object({
    schema: z.literal(REVIEW_SCHEMA_VERSION),
    repo: z.string(),
    base: z.string(),
    head: z.string(),
    level: AnalysisLevel,
    outcome: ReviewOutcome,
    label: Label,
    verdict: Verdict,
    changeSet: ChangeSet,
    stats: BuildStats,
    timings: Timings,
  })
  .strict();
export type ReviewReport = z.infer<typeof ReviewReport>;
