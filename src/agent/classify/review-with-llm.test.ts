// Unit tests of the LLM review entry point on an in-memory ClaudePort and cache.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ANSWER } from '../../../test/fixtures/claude-cli/sample-answer.js';
import { sshdChange, storageChange } from '../../../test/fixtures/llm-classify.js';
import { Verdict } from '../../model/review.js';
import { MemoryCache } from '../../ports/cache.js';
import type { ClaudePort, ClaudeRunRequest, ClaudeRunResult } from '../../ports/claude.js';
import { silentLogger } from '../../ports/logger.js';
import { Redactor } from '../../redact.js';
import { LlmReview, type ClassifyAnswer } from './answer-schema.js';
import { reviewWithLlm, type LlmReviewOptions } from './review-with-llm.js';

const goalsDir = join(import.meta.dirname, '../../../goals');
const config: LlmReviewOptions = { mode: 'auto', timeoutSeconds: 30, maxTurns: 3 };
const info = { model: 'claude-test', costUsd: 0.012, usage: { inputTokens: 3000, outputTokens: 200, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, numTurns: 2, durationMs: 500, permissionDenials: [] };

class FakeClaude implements ClaudePort {
  requests: ClaudeRunRequest<unknown>[] = [];
  constructor(private readonly reply: (request: ClaudeRunRequest<unknown>) => ClaudeRunResult<unknown>) {}
  async version() {
    return '2.1.197';
  }
  async run<T>(request: ClaudeRunRequest<T>): Promise<ClaudeRunResult<T>> {
    this.requests.push(request as ClaudeRunRequest<unknown>);
    return this.reply(request as ClaudeRunRequest<unknown>) as ClaudeRunResult<T>;
  }
}

const answering = (answer: ClassifyAnswer) => new FakeClaude(() => ({ ok: true, answer, info }));

function deps(claude: ClaudePort, cache = new MemoryCache()) {
  return { claude, cache, logger: silentLogger, goalsDir };
}

describe('reviewWithLlm', () => {
  it('asks once with no tools, the schema and the limits, and returns a schema-valid verdict', async () => {
    const claude = answering(SAMPLE_ANSWER);
    const { verdict, llm } = await reviewWithLlm(deps(claude), { ...storageChange(), commitMessages: ['x'], config: { ...config, model: 'sonnet', maxBudgetUsd: 0.2 } });
    expect(claude.requests).toHaveLength(1);
    expect(claude.requests[0]).toMatchObject({ allowedTools: [], maxTurns: 3, timeoutMs: 30_000, model: 'sonnet', maxBudgetUsd: 0.2 });
    expect(claude.requests[0]?.appendSystemPrompt).toContain('UNTRUSTED DATA');
    expect(Verdict.parse(verdict).llm).toEqual(llm);
    expect(LlmReview.parse(llm)).toMatchObject({ status: 'answered', cached: false, rulesLabel: 'needs-reboot', llmLabel: 'needs-reboot', finalLabel: 'needs-reboot', decidedBy: 'rules', costUsd: 0.012 });
    expect(llm.prompt.chars).toBe(claude.requests[0]?.prompt.length);
    expect(llm.prompt.estimatedTokens).toBeGreaterThan(0);
  });

  it('reuses the cached answer for an identical change and asks again with noCache', async () => {
    const claude = answering(SAMPLE_ANSWER);
    const cache = new MemoryCache();
    const input = { ...storageChange(), commitMessages: ['x'], config };
    await reviewWithLlm(deps(claude, cache), input);
    const second = await reviewWithLlm(deps(claude, cache), { ...storageChange(), commitMessages: ['x'], config });
    expect(claude.requests).toHaveLength(1);
    expect(second.llm).toMatchObject({ status: 'answered', cached: true, finalLabel: 'needs-reboot' });
    await reviewWithLlm(deps(claude, cache), { ...input, noCache: true });
    expect(claude.requests).toHaveLength(2);
  });

  it('misses the cache when the change differs', async () => {
    const claude = answering(SAMPLE_ANSWER);
    const cache = new MemoryCache();
    await reviewWithLlm(deps(claude, cache), { ...storageChange(), commitMessages: [], config });
    const other = storageChange();
    other.changeSet.hosts[0]!.units[0]!.action = 'restart';
    await reviewWithLlm(deps(claude, cache), { ...other, commitMessages: [], config });
    expect(claude.requests).toHaveLength(2);
  });

  it('ignores a cache entry of the wrong shape', async () => {
    const claude = answering(SAMPLE_ANSWER);
    const cache = new MemoryCache();
    await reviewWithLlm(deps(claude, cache), { ...storageChange(), commitMessages: [], config });
    for (const key of cache.entries.keys()) cache.entries.set(key, { answer: 'clean' });
    const { llm } = await reviewWithLlm(deps(claude, cache), { ...storageChange(), commitMessages: [], config });
    expect(llm.cached).toBe(false);
    expect(claude.requests).toHaveLength(2);
  });

  it('marks the rules verdict unreviewed on no answer, and does not cache the failure', async () => {
    const claude = new FakeClaude(() => ({ ok: false, reason: 'timeout', detail: 'no answer within 30 s', info }));
    const cache = new MemoryCache();
    const { verdict, llm } = await reviewWithLlm(deps(claude, cache), { ...storageChange(), commitMessages: [], config });
    expect(verdict).toMatchObject({ label: 'needs-reboot', reviewed: false, decidedBy: 'rules' });
    expect(llm).toMatchObject({ status: 'no-answer', noAnswer: { reason: 'timeout' }, decidedBy: 'rules' });
    expect(cache.entries.size).toBe(0);
  });

  it('holds the change as risky on no answer when the mode is required', async () => {
    const claude = new FakeClaude(() => ({ ok: false, reason: 'api-error', detail: 'API status 500', info }));
    const { verdict, llm } = await reviewWithLlm(deps(claude), { ...storageChange(), commitMessages: [], config: { ...config, mode: 'required' } });
    expect(verdict.label).toBe('risky');
    expect(llm.decidedBy).toBe('review-required');
  });

  it('does not call Claude Code when the mode is off', async () => {
    const claude = answering(SAMPLE_ANSWER);
    const { verdict, llm } = await reviewWithLlm(deps(claude), { ...sshdChange(), commitMessages: [], config: { ...config, mode: 'off' } });
    expect(claude.requests).toHaveLength(0);
    expect(verdict).toMatchObject({ label: 'risky', reviewed: false });
    expect(llm).toMatchObject({ status: 'skipped', noAnswer: { reason: 'disabled' } });
  });

  it('redacts secret values and token shapes from the prompt', async () => {
    const claude = answering(SAMPLE_ANSWER);
    const redactor = new Redactor();
    redactor.add('hunter2-very-secret');
    const change = storageChange();
    const patch = `${change.patch}diff --git a/modules/x.nix b/modules/x.nix\n--- a/modules/x.nix\n+++ b/modules/x.nix\n@@ -1 +1 @@\n-a\n+token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"; # hunter2-very-secret\n`;
    await reviewWithLlm({ ...deps(claude), redactor }, { ...change, patch, commitMessages: ['pw hunter2-very-secret'], config });
    const prompt = claude.requests[0]?.prompt ?? '';
    expect(prompt).not.toContain('hunter2-very-secret');
    expect(prompt).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });
});
