// What Claude Code must answer when it classifies a change (sent to the CLI as JSON Schema via
// `z.toJSONSchema`), and the LLM review record Steward keeps about that session.
import { z } from 'zod';
import { Label } from '../../model/label.js';
import { ClaudeUsage, NoAnswerReason, PermissionDenial } from '../../ports/claude.js';

/** Schema version of the answer; part of the cache key so that a new schema never reuses old answers. */
export const CLASSIFY_ANSWER_VERSION = 'steward.classify-answer/v1';

/** A citation. At least one field; every field must name something present in the change. */
export const LlmEvidence = z
  .object({
    host: z.string().max(200).optional(),
    unit: z.string().max(300).optional(),
    job: z.string().max(200).optional(),
    file: z.string().max(500).optional(),
    line: z.number().int().positive().optional(),
    ruleId: z.string().max(200).optional(),
  })
  .strict();
export type LlmEvidence = z.infer<typeof LlmEvidence>;

export const LlmReason = z
  .object({
    label: Label,
    message: z.string().min(1).max(1000),
    evidence: z.array(LlmEvidence).min(1).max(12),
  })
  .strict();
export type LlmReason = z.infer<typeof LlmReason>;

export const RebootStrategy = z.enum([
  /** No reboot: a switch applies everything. */
  'none',
  /** `switch`, then reboot hosts one at a time in the window. */
  'switch-then-reboot',
  /** `switch-to-configuration boot`, then reboot hosts one at a time in the window. */
  'boot-then-reboot',
  /** A human decides (e.g. storage or quorum members). */
  'manual',
]);
export type RebootStrategy = z.infer<typeof RebootStrategy>;

export const ClassifyAnswer = z
  .object({
    label: Label,
    confidence: z.number().min(0).max(1),
    /** The model's reasoning in a few sentences, shown in the report. */
    summary: z.string().min(1).max(3000),
    reasons: z.array(LlmReason).max(30),
    blastRadius: z
      .object({
        hosts: z.array(z.string().max(200)).max(500),
        jobs: z.array(z.string().max(200)).max(500),
        services: z.array(z.string().max(300)).max(200),
        description: z.string().max(1500),
      })
      .strict(),
    deployPlan: z
      .object({
        hostOrder: z.array(z.string().max(200)).max(500),
        rebootStrategy: RebootStrategy,
        notes: z.string().max(1500),
      })
      .strict(),
    extraChecks: z
      .array(
        z
          .object({
            description: z.string().min(1).max(500),
            host: z.string().max(200).optional(),
            command: z.string().max(500).optional(),
          })
          .strict(),
      )
      .max(20),
  })
  .strict();
export type ClassifyAnswer = z.infer<typeof ClassifyAnswer>;

export const DroppedReason = z
  .object({
    reason: LlmReason,
    /** Why it was dropped, e.g. `host "db9" is not part of this change`. */
    problems: z.array(z.string()),
  })
  .strict();
export type DroppedReason = z.infer<typeof DroppedReason>;

export const PromptStats = z
  .object({
    chars: z.number().int(),
    estimatedTokens: z.number().int(),
    budgetTokens: z.number().int(),
    overBudget: z.boolean(),
    hunksIncluded: z.number().int(),
    hunksOmitted: z.number().int(),
    /** Lock and generated files described instead of pasted. */
    filesSummarised: z.array(z.string()),
    /** Secret files named but never read or pasted. */
    secretFiles: z.array(z.string()),
    /** What sanitising removed from untrusted text. */
    sanitised: z
      .object({ htmlComments: z.number().int(), invisible: z.number().int(), fenceMarkers: z.number().int() })
      .strict(),
  })
  .strict();
export type PromptStats = z.infer<typeof PromptStats>;

export const LLM_REVIEW_VERSION = 'steward.llm-review/v1';

/**
 * The LLM part of a verdict (`Verdict.llm`). `decidedBy: 'review-required'` means there was no
 * usable answer and the configuration requires one, so the change was escalated to risky.
 */
export const LlmReview = z
  .object({
    schema: z.literal(LLM_REVIEW_VERSION),
    status: z.enum(['answered', 'no-answer', 'skipped']),
    /** The answer with only the reasons whose evidence checked out. */
    answer: ClassifyAnswer.optional(),
    noAnswer: z.object({ reason: z.union([NoAnswerReason, z.literal('disabled')]), detail: z.string() }).strict().optional(),
    droppedReasons: z.array(DroppedReason),
    /** Hosts or jobs named in the blast radius or host order that are not in the change (removed). */
    droppedNames: z.array(z.string()),
    /** The LLM asked for a more severe label than any of its verified reasons supports. */
    unsupportedEscalation: z.boolean(),
    rulesLabel: Label,
    llmLabel: Label.nullable(),
    finalLabel: Label,
    decidedBy: z.enum(['rules', 'llm', 'review-required']),
    cached: z.boolean(),
    model: z.string().nullable(),
    costUsd: z.number().nullable(),
    usage: ClaudeUsage.nullable(),
    permissionDenials: z.array(PermissionDenial),
    prompt: PromptStats,
    durationMs: z.number(),
    changeSetDigest: z.string(),
  })
  .strict();
export type LlmReview = z.infer<typeof LlmReview>;
