// The model's part of a session: Claude Code in print mode with NO built-in tools (`--tools ""`)
// and Steward's MCP server (`steward mcp`, stdio) as its only tools, an answer checked against
// SessionAnswer, and budgets enforced outside the model: wall clock (process group killed), turns,
// cost, and tool calls (counted by the MCP server in the session's records).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SessionAnswer } from '../../model/agent-session.js';
import type { ClaudePort } from '../../ports/claude.js';
import type { StewardConfig } from '../../config/schema.js';
import { allowedToolRules, MCP_SERVER_NAME } from '../mcp/tool-names.js';
import type { Investigator, InvestigationRequest, InvestigationResult } from './runner.js';
import { renderSessionPrompt, SESSION_SYSTEM_PROMPT } from './session-prompt.js';

export interface McpLaunch {
  /** `node` (process.execPath) and the CLI script, or a `steward` binary. */
  command: string;
  /** Arguments before the session's own (`[cli.js, 'mcp', '--repo', ...]`). */
  args: string[];
  /** Environment of the MCP server: what it needs to reach hosts, Nomad and Consul (tokens too). */
  env: Record<string, string>;
}

export interface ClaudeInvestigatorOptions {
  claude: ClaudePort;
  config: StewardConfig;
  mcp: McpLaunch;
  model?: string;
}

export function createClaudeInvestigator(options: ClaudeInvestigatorOptions): Investigator {
  let version: Promise<string | null> | null = null;
  return {
    async unavailable() {
      version ??= options.claude.version();
      return (await version) ? null : `\`${options.config.llm.command}\` is not available here`;
    },
    investigate: (request) => investigate(options, request),
  };
}

async function investigate(options: ClaudeInvestigatorOptions, request: InvestigationRequest): Promise<InvestigationResult> {
  const agent = options.config.agent;
  // The MCP config holds the server's environment (tokens): a private file, never argv (`ps` shows argv).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-session-'));
  try {
    const configFile = path.join(dir, 'mcp.json');
    const server = { type: 'stdio', command: options.mcp.command, args: [...options.mcp.args, '--session', request.sessionId, ...(request.trigger.kind === 'ask' ? ['--read-only'] : [])], env: options.mcp.env };
    await writeFile(configFile, JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: server } }), { mode: 0o600 });
    const timeoutMs = agent.timeoutSeconds * 1000;
    const result = await options.claude.run({
      prompt: renderSessionPrompt(request),
      appendSystemPrompt: SESSION_SYSTEM_PROMPT,
      answerSchema: SessionAnswer,
      allowedTools: allowedToolRules(),
      maxTurns: agent.maxTurns,
      timeoutMs,
      cwd: dir,
      mcpConfigFile: configFile,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(options.model ? { model: options.model } : {}),
      ...(agent.maxBudgetUsd !== undefined ? { maxBudgetUsd: agent.maxBudgetUsd } : {}),
    });
    const turns = result.info.numTurns;
    const costUsd = result.info.costUsd;
    return result.ok ? { ok: true, answer: result.answer, turns, costUsd } : { ok: false, reason: result.reason, detail: result.detail, turns, costUsd };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
