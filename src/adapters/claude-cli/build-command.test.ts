// Unit tests of the exact command line and environment given to `claude`.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildClaudeArgs, buildClaudeEnv, HARDENING_ENV, toolNamesOf } from './build-command.js';

const schema = z.object({ label: z.enum(['clean', 'risky']) }).strict();
const base = { prompt: 'p', answerSchema: schema, allowedTools: [] as string[], maxTurns: 4, timeoutMs: 1000, cwd: '/tmp' };

function valueAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

describe('buildClaudeArgs', () => {
  it('runs print mode with JSON output, the schema, dontAsk, no persistence and no tools when the allowlist is empty', () => {
    const args = buildClaudeArgs(base);
    expect(args.slice(0, 3)).toEqual(['-p', '--output-format', 'json']);
    expect(JSON.parse(valueAfter(args, '--json-schema') ?? '')).toMatchObject({ type: 'object', required: ['label'], additionalProperties: false });
    expect(valueAfter(args, '--permission-mode')).toBe('dontAsk');
    expect(valueAfter(args, '--max-turns')).toBe('4');
    expect(args).toContain('--no-session-persistence');
    expect(valueAfter(args, '--setting-sources')).toBe('user');
    expect(valueAfter(args, '--tools')).toBe('');
    expect(args).not.toContain('--allowedTools');
    expect(args).not.toContain('--model');
    expect(args.join(' ')).not.toMatch(/bypass|dangerously|acceptEdits/);
  });

  it('offers only the allowlisted tools and passes the allow rules verbatim', () => {
    const args = buildClaudeArgs({ ...base, allowedTools: ['Read', 'Bash(echo:*)'], disallowedTools: ['Read(./secrets/**)'] });
    expect(valueAfter(args, '--tools')).toBe('Read,Bash');
    const allowAt = args.indexOf('--allowedTools');
    expect(args.slice(allowAt + 1, allowAt + 3)).toEqual(['Read', 'Bash(echo:*)']);
    expect(valueAfter(args, '--disallowedTools')).toBe('Read(./secrets/**)');
  });

  it('gives an MCP session its server as the only tools: no built-in tool, strict MCP config, the MCP tools allowed', () => {
    const args = buildClaudeArgs({ ...base, allowedTools: ['mcp__steward__host_status', 'mcp__steward__restart_unit'], mcpConfigFile: '/tmp/s/mcp.json' });
    expect(valueAfter(args, '--tools')).toBe('');
    expect(valueAfter(args, '--mcp-config')).toBe('/tmp/s/mcp.json');
    expect(args).toContain('--strict-mcp-config');
    const allowAt = args.indexOf('--allowedTools');
    expect(args.slice(allowAt + 1, allowAt + 3)).toEqual(['mcp__steward__host_status', 'mcp__steward__restart_unit']);
  });

  it('adds the model, budget and system prompt when given', () => {
    const args = buildClaudeArgs({ ...base, model: 'sonnet', maxBudgetUsd: 0.5, appendSystemPrompt: 'be careful' });
    expect(valueAfter(args, '--model')).toBe('sonnet');
    expect(valueAfter(args, '--max-budget-usd')).toBe('0.5');
    expect(valueAfter(args, '--append-system-prompt')).toBe('be careful');
  });

  it('never puts the prompt on the command line', () => {
    expect(buildClaudeArgs({ ...base, prompt: 'SECRET-PROMPT-TEXT' }).join(' ')).not.toContain('SECRET-PROMPT-TEXT');
  });
});

describe('toolNamesOf', () => {
  it('reduces rules to unique tool names', () => {
    expect(toolNamesOf(['Bash(git diff:*)', 'Bash(echo:*)', 'Read', 'Grep'])).toEqual(['Bash', 'Read', 'Grep']);
  });
});

describe('buildClaudeEnv', () => {
  const source = { HOME: '/root', PATH: '/bin', ANTHROPIC_API_KEY: 'k-123', GITHUB_TOKEN: 'ghp_x', NOMAD_TOKEN: 'n', CLAUDE_CODE_OAUTH_TOKEN: 'o' };

  it('passes only allowlisted variables, never other tokens of the parent', () => {
    const env = buildClaudeEnv({ source });
    expect(env).toMatchObject({ HOME: '/root', PATH: '/bin', ANTHROPIC_API_KEY: 'k-123', CLAUDE_CODE_OAUTH_TOKEN: 'o' });
    expect(env).not.toHaveProperty('GITHUB_TOKEN');
    expect(env).not.toHaveProperty('NOMAD_TOKEN');
  });

  it('honours a narrower allowlist and fixed values, and always applies the hardening', () => {
    const env = buildClaudeEnv({ source, allow: ['PATH'], set: { CLAUDE_CODE_MAX_RETRIES: '0', CLAUDE_CODE_DISABLE_CLAUDE_MDS: '0' } });
    expect(env).toEqual({ PATH: '/bin', CLAUDE_CODE_MAX_RETRIES: '0', ...HARDENING_ENV });
    expect(env.CLAUDE_CODE_DISABLE_CLAUDE_MDS).toBe('1');
  });
});
