// Unit tests of the report's LLM section: both verdicts, who decided, and inert model text.
import { describe, expect, it } from 'vitest';
import { SAMPLE_ANSWER } from '../../../test/fixtures/claude-cli/sample-answer.js';
import { LLM_REVIEW_VERSION, type LlmReview } from './answer-schema.js';
import { findInjections } from '../../../test/helpers/inert-markdown.js';
import { inertMarkdown, renderLlmSection } from './render-llm-section.js';

const base: LlmReview = {
  schema: LLM_REVIEW_VERSION,
  status: 'answered',
  answer: SAMPLE_ANSWER,
  droppedReasons: [{ reason: { label: 'risky', message: 'postgres restarts', evidence: [{ host: 'db9' }] }, problems: ['host "db9" is not part of this change'] }],
  droppedNames: [],
  unsupportedEscalation: false,
  rulesLabel: 'needs-reboot',
  llmLabel: 'needs-reboot',
  finalLabel: 'needs-reboot',
  decidedBy: 'rules',
  cached: false,
  model: 'claude-sonnet-4-5',
  costUsd: 0.0123,
  usage: { inputTokens: 3100, outputTokens: 420, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
  permissionDenials: [],
  prompt: { chars: 10_800, estimatedTokens: 3086, budgetTokens: 12_000, overBudget: false, hunksIncluded: 3, hunksOmitted: 0, filesSummarised: ['flake.lock'], secretFiles: [], sanitised: { htmlComments: 0, invisible: 0, fenceMarkers: 0 } },
  durationMs: 2_345,
  changeSetDigest: 'abc',
};

describe('renderLlmSection', () => {
  it('renders an answered review as in the reviewed snapshot', async () => {
    await expect(renderLlmSection(base)).toMatchFileSnapshot('./__snapshots__/llm-section.answered.md');
  });

  it('says the LLM decided when it escalated, and warns when no verified reason supports it', () => {
    const text = renderLlmSection({ ...base, llmLabel: 'risky', finalLabel: 'risky', decidedBy: 'llm', unsupportedEscalation: true });
    expect(text).toContain('| **Final** | **`risky`**, decided by Claude Code (escalation) |');
    expect(text).toContain('escalated the label without a verified reason');
  });

  it('says the rules stand unreviewed when there was no answer', () => {
    const { answer: _a, ...rest } = base;
    const text = renderLlmSection({ ...rest, status: 'no-answer', noAnswer: { reason: 'timeout', detail: 'no answer within 180 s' }, llmLabel: null, droppedReasons: [] });
    expect(text).toContain('| Claude Code | none: Claude Code timed out |');
    expect(text).toContain("The rules' verdict stands, **unreviewed**.");
    expect(text).not.toContain('Reasoning');
  });

  it('says the change is held as risky when review is required and none was obtained', () => {
    const { answer: _a, ...rest } = base;
    const text = renderLlmSection({ ...rest, status: 'no-answer', noAnswer: { reason: 'unavailable', detail: 'spawn claude ENOENT' }, llmLabel: null, finalLabel: 'risky', decidedBy: 'review-required', droppedReasons: [] });
    expect(text).toContain('decided by policy: review is required but none was obtained');
    expect(text).toContain('held as **risky**');
  });
});

describe('inertMarkdown', () => {
  it('neutralises hidden comments, HTML, mentions and code spans from model text', () => {
    const out = inertMarkdown('ok <!-- steward:sticky --> <img src=x onerror=alert(1)> ping @octocat `rm -rf /` [x](https://evil.example)');
    expect(out).not.toContain('<!--');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('@octocat');
    expect(findInjections(out)).toEqual([]);
    expect(out).toContain('@&#8203;octocat');
  });
});
