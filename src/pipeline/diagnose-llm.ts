// Claude Code as the strategy chooser: one print-mode session with the deploy-failure goal, the
// failure and the knowledge in the prompt, Steward's READ-ONLY MCP tools (when a launch is given;
// none otherwise) and an answer checked against StrategyAnswer. Its pick goes through the same
// validator as the knowledge's; no answer leaves the knowledge's choice standing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { McpLaunch } from '../agent/session/claude-session.js';
import { MCP_SERVER_NAME, READ_TOOLS } from '../agent/mcp/tool-names.js';
import type { StewardConfig } from '../config/schema.js';
import type { ClaudePort } from '../ports/claude.js';
import type { Redactor } from '../redact.js';
import { choiceFromAnswer, DIAGNOSE_SYSTEM_PROMPT, renderDiagnosePrompt, StrategyAnswer } from '../stages/diagnose/llm-answer.js';
import type { StrategyChooser } from './diagnose-failure.js';

export interface ClaudeChooserOptions {
  claude: ClaudePort;
  config: StewardConfig;
  goalsDir: string;
  redactor: Redactor;
  /** `steward mcp` (started with --read-only); absent: the session has no tools, only the prompt. */
  mcp?: McpLaunch;
  sessionId?: string;
}

export function createClaudeStrategyChooser(options: ClaudeChooserOptions): StrategyChooser {
  return {
    async choose({ failure, proposal, policy, knowledge }) {
      const goalText = await readFile(path.join(options.goalsDir, 'on-deploy-failure.md'), 'utf8').catch(() => '# Goal: a deploy step failed');
      const prompt = options.redactor.redact(renderDiagnosePrompt({ goalText, failure, proposal, policy, knowledgeDocs: knowledge.docs }));
      const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-diagnose-'));
      try {
        let mcpConfigFile: string | undefined;
        if (options.mcp) {
          mcpConfigFile = path.join(dir, 'mcp.json');
          const server = { type: 'stdio', command: options.mcp.command, args: [...options.mcp.args, '--session', options.sessionId ?? `diagnose-${Date.now()}`, '--read-only'], env: options.mcp.env };
          // The server's environment holds tokens: a private file, never argv.
          await writeFile(mcpConfigFile, JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: server } }), { mode: 0o600 });
        }
        const agent = options.config.agent;
        const result = await options.claude.run({
          prompt,
          appendSystemPrompt: DIAGNOSE_SYSTEM_PROMPT,
          answerSchema: StrategyAnswer,
          allowedTools: options.mcp ? READ_TOOLS.map((t) => `mcp__${MCP_SERVER_NAME}__${t}`) : [],
          maxTurns: agent.maxTurns,
          timeoutMs: agent.timeoutSeconds * 1000,
          cwd: dir,
          ...(mcpConfigFile ? { mcpConfigFile } : {}),
          ...(options.config.llm.model ? { model: options.config.llm.model } : {}),
          ...(agent.maxBudgetUsd !== undefined ? { maxBudgetUsd: agent.maxBudgetUsd } : {}),
        });
        if (!result.ok) return { ok: false, reason: `${result.reason}: ${result.detail}` };
        return { ok: true, choice: choiceFromAnswer(result.answer, proposal) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
