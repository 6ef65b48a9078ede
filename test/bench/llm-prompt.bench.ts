// Benchmark: how small the classification prompt is against what it summarises (the raw `git diff`
// plus the unit and closure listing), per scenario. Targets: >= 10x for a fleet-wide change,
// <= 12k estimated tokens for a shared-module change. `npm run bench` feeds the demo scenarios.
import { join } from 'node:path';
import { loadClassifyGoals } from '../../src/agent/classify/load-goals.js';
import type { ChangeSetForReview } from '../../src/agent/classify/render-changeset.js';
import { DEFAULT_PROMPT_TOKEN_BUDGET, renderClassifyPrompt } from '../../src/agent/classify/render-prompt.js';
import { estimateTokens } from '../../src/agent/classify/select-hunks.js';
import type { RulesVerdict } from '../../src/model/review.js';

export interface PromptScenario {
  name: string;
  changeSet: ChangeSetForReview;
  rules: RulesVerdict;
  patch: string;
  rawListing: string;
}

export interface PromptSize {
  name: string;
  promptChars: number;
  promptTokens: number;
  rawChars: number;
  rawTokens: number;
  ratio: number;
  hunksIncluded: number;
  hunksOmitted: number;
}

const FLEET_RATIO_TARGET = 10;
const SHARED_TOKEN_TARGET = 12_000;
const goalsDir = join(import.meta.dirname, '../../goals');

export async function measurePromptSizes(scenarios: PromptScenario[]): Promise<PromptSize[]> {
  const goals = await loadClassifyGoals(goalsDir);
  return scenarios.map((s) => {
    const { stats } = renderClassifyPrompt(goals, { changeSet: s.changeSet, rules: s.rules, patch: s.patch, commitMessages: [] }, DEFAULT_PROMPT_TOKEN_BUDGET);
    const raw = `${s.patch}\n${s.rawListing}`;
    return {
      name: s.name,
      promptChars: stats.chars,
      promptTokens: stats.estimatedTokens,
      rawChars: raw.length,
      rawTokens: estimateTokens(raw),
      ratio: raw.length / stats.chars,
      hunksIncluded: stats.hunksIncluded,
      hunksOmitted: stats.hunksOmitted,
    };
  });
}

function target(size: PromptSize): string {
  if (/fleet/i.test(size.name)) return size.ratio >= FLEET_RATIO_TARGET ? `, target ≥ ${FLEET_RATIO_TARGET}×: met` : `, target ≥ ${FLEET_RATIO_TARGET}×: MISSED`;
  if (/shared/i.test(size.name)) return size.promptTokens <= SHARED_TOKEN_TARGET ? `, target ≤ 12k tokens: met` : `, target ≤ 12k tokens: MISSED`;
  return '';
}

export async function benchPromptSizes(scenarios: PromptScenario[]): Promise<{ lines: string[] }> {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = (await measurePromptSizes(scenarios)).map(
    (s) =>
      `llm prompt ${s.name}: ${fmt(s.promptChars)} chars (~${fmt(s.promptTokens)} tokens; ${s.hunksIncluded} hunks shown, ${s.hunksOmitted} omitted) ` +
      `vs raw diff + listing ${fmt(s.rawChars)} chars (~${fmt(s.rawTokens)} tokens): compaction ${s.ratio.toFixed(1)}×${target(s)}`,
  );
  return { lines };
}
