// The exact `claude` command line and environment for one session (pure, so tests assert them).
import { z } from 'zod';
import type { ClaudeRunRequest } from '../../ports/claude.js';

/**
 * Variables passed through from the parent by default: what the CLI needs to find its config and
 * authenticate, and nothing else (no GITHUB_TOKEN, NOMAD_TOKEN, ... reach the session).
 */
export const DEFAULT_CLAUDE_ENV_ALLOW = [
  'HOME',
  'PATH',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CONFIG_DIR',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
] as const;

/**
 * Always set. The session's cwd may be a checkout of the change under review, so nothing from it
 * may steer the model: no CLAUDE.md, no auto-memory, no git status in the system prompt. Also no
 * auto-update or telemetry from a CI job.
 */
export const HARDENING_ENV: Readonly<Record<string, string>> = {
  CLAUDE_CODE_DISABLE_CLAUDE_MDS: '1',
  CLAUDE_CODE_DISABLE_AUTO_MEMORY: '1',
  CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_AUTOUPDATER: '1',
  DISABLE_TELEMETRY: '1',
};

/**
 * Never `bypassPermissions`, `acceptEdits` or `auto`: in `dontAsk` a tool call that no allow rule
 * matches is refused (and listed in `permission_denials`) instead of prompting a missing human.
 */
export const PERMISSION_MODE = 'dontAsk';

/** `Bash(echo:*)` -> `Bash`: the built-in tools to offer are the ones the allowlist names. */
export function toolNamesOf(rules: readonly string[]): string[] {
  // MCP tools (`mcp__<server>__<tool>`) come from the MCP config, not from `--tools`.
  return [...new Set(rules.map((rule) => rule.replace(/\(.*$/s, '').trim()).filter((name) => name && !name.startsWith('mcp__')))];
}

export function buildClaudeArgs<T>(request: ClaudeRunRequest<T>): string[] {
  const jsonSchema = z.toJSONSchema(request.answerSchema, { target: 'draft-07' });
  const args = [
    '-p',
    '--output-format',
    'json',
    '--json-schema',
    JSON.stringify(jsonSchema),
    '--permission-mode',
    PERMISSION_MODE,
    '--max-turns',
    String(request.maxTurns),
    '--no-session-persistence',
    // Project and local settings come from the directory under review: only the user's own apply.
    '--setting-sources',
    'user',
    // `--tools ""` offers no built-in tool at all; the structured-output tool is still added.
    '--tools',
    toolNamesOf(request.allowedTools).join(','),
  ];
  if (request.mcpConfigFile) args.push('--mcp-config', request.mcpConfigFile, '--strict-mcp-config');
  if (request.allowedTools.length > 0) args.push('--allowedTools', ...request.allowedTools);
  if (request.disallowedTools?.length) args.push('--disallowedTools', ...request.disallowedTools);
  if (request.model) args.push('--model', request.model);
  if (request.maxBudgetUsd !== undefined) args.push('--max-budget-usd', String(request.maxBudgetUsd));
  if (request.appendSystemPrompt) args.push('--append-system-prompt', request.appendSystemPrompt);
  return args;
}

export interface ClaudeEnvOptions {
  /** The parent's environment, passed in by the composition root. */
  source: Readonly<Record<string, string | undefined>>;
  /** Names to copy from `source`; defaults to DEFAULT_CLAUDE_ENV_ALLOW. */
  allow?: readonly string[];
  /** Fixed values (tests: ANTHROPIC_BASE_URL, CLAUDE_CODE_MAX_RETRIES=0). Hardening still wins. */
  set?: Readonly<Record<string, string>>;
}

export function buildClaudeEnv(options: ClaudeEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of options.allow ?? DEFAULT_CLAUDE_ENV_ALLOW) {
    const value = options.source[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...options.set, ...HARDENING_ENV };
}

/** Values in the child's environment that must never appear in logs or details. */
export function secretValuesOf(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([name]) => /KEY|TOKEN|SECRET|PASSWORD/i.test(name))
    .map(([, value]) => value);
}
