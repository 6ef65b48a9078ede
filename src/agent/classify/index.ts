// The LLM review's public surface for the pipeline and the report: one entry point, one renderer,
// and the record type that `Verdict.llm` holds.
export { reviewWithLlm, buildCacheKey, type LlmReviewDeps, type LlmReviewInput, type LlmReviewOptions } from './review-with-llm.js';
export { renderLlmSection } from './render-llm-section.js';
export { LlmReview, ClassifyAnswer, LLM_REVIEW_VERSION, type PromptStats } from './answer-schema.js';
export { DEFAULT_PROMPT_TOKEN_BUDGET } from './render-prompt.js';
export type { ChangeSetForReview } from './render-changeset.js';
