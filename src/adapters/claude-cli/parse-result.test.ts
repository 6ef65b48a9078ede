// Unit tests of the CLI result interpretation on outputs recorded from the real CLI (2.1.197).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassifyAnswer } from '../../agent/classify/answer-schema.js';
import { interpretCliOutcome, parseCliStdout, type ProcessOutcome } from './parse-result.js';

const fixtures = join(import.meta.dirname, '../../../test/fixtures/claude-cli');
const recorded = (name: string) => readFileSync(join(fixtures, `${name}.json`), 'utf8');

function outcome(stdout: string, extra: Partial<ProcessOutcome> = {}): ProcessOutcome {
  return { stdout, stderr: '', exitCode: 0, timedOut: false, durationMs: 640, ...extra };
}

describe('interpretCliOutcome', () => {
  it('returns the checked answer, cost, usage and model when the run succeeded with structured output', () => {
    const result = interpretCliOutcome(outcome(recorded('good')), ClassifyAnswer);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.answer.label).toBe('needs-reboot');
    expect(result.answer.reasons[0]?.evidence[0]).toEqual({ host: 'web1', unit: 'mnt-media.mount' });
    expect(result.info.costUsd).toBeGreaterThan(0);
    expect(result.info.usage).toEqual({ inputTokens: 1200, outputTokens: 80, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(result.info.model).toMatch(/^claude-/);
    expect(result.info.model).not.toContain('[');
  });

  it('reports malformed-output when stdout is not JSON', () => {
    const result = interpretCliOutcome(outcome('Error: something broke\n', { exitCode: 1, stderr: 'boom' }), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'malformed-output' });
    if (!result.ok) expect(result.detail).toContain('stderr: boom');
  });

  it('reports malformed-output when the JSON is not a result object', () => {
    expect(interpretCliOutcome(outcome('{"type":"assistant"}'), ClassifyAnswer)).toMatchObject({ ok: false, reason: 'malformed-output' });
    expect(interpretCliOutcome(outcome(recorded('good').slice(0, 200)), ClassifyAnswer)).toMatchObject({ ok: false, reason: 'malformed-output' });
  });

  it('reports api-error with the status when is_error is set on a "success" subtype', () => {
    const result = interpretCliOutcome(outcome(recorded('api-error'), { exitCode: 1 }), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'api-error' });
    if (!result.ok) expect(result.detail).toMatch(/^API status 500: API Error: 500/);
  });

  it('reports no-structured-output when the model answered in plain text', () => {
    const result = interpretCliOutcome(outcome(recorded('plain-text')), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'no-structured-output' });
    if (!result.ok) expect(result.detail).toContain('I think this is clean.');
  });

  it('reports max-turns for error_max_turns, which has no result text', () => {
    const result = interpretCliOutcome(outcome(recorded('max-turns'), { exitCode: 1 }), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'max-turns' });
    if (!result.ok) expect(result.detail).toContain('Reached maximum number of turns');
  });

  it('reports max-budget for error_max_budget_usd and keeps the permission denials', () => {
    const result = interpretCliOutcome(outcome(recorded('max-budget'), { exitCode: 1 }), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'max-budget' });
    expect(result.info.permissionDenials[0]?.tool).toBe('Bash');
    expect(result.info.costUsd).toBeGreaterThan(0);
  });

  it('reports invalid-answer when structured_output does not satisfy the schema', () => {
    const good = JSON.parse(recorded('good')) as Record<string, unknown>;
    const bad = { ...good, structured_output: { ...(good.structured_output as object), label: 'fine', confidence: 3 } };
    const result = interpretCliOutcome(outcome(JSON.stringify(bad)), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'invalid-answer' });
    if (!result.ok) expect(result.detail).toMatch(/label.*confidence|confidence.*label/);
  });

  it('reports timeout even when partial output exists', () => {
    expect(interpretCliOutcome(outcome(recorded('good'), { timedOut: true, exitCode: undefined }), ClassifyAnswer)).toMatchObject({ ok: false, reason: 'timeout' });
  });

  it('reports unavailable when the binary could not start', () => {
    const result = interpretCliOutcome(outcome('', { spawnError: 'spawn claude ENOENT', exitCode: undefined }), ClassifyAnswer);
    expect(result).toMatchObject({ ok: false, reason: 'unavailable', detail: 'spawn claude ENOENT' });
  });

  it('treats an unknown error subtype as failed', () => {
    const other = { ...JSON.parse(recorded('max-turns')), subtype: 'error_during_execution' };
    expect(interpretCliOutcome(outcome(JSON.stringify(other)), ClassifyAnswer)).toMatchObject({ ok: false, reason: 'failed' });
  });
});

describe('parseCliStdout', () => {
  it('finds the result object after stray lines', () => {
    const text = `warning: something\n${JSON.stringify(JSON.parse(recorded('good')))}\n`;
    expect(parseCliStdout(text)?.subtype).toBe('success');
  });
});
