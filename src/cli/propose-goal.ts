// `steward propose`'s goal session: Claude Code toward goals/proactive.md in a throwaway worktree,
// with Steward's read-only MCP tools (`steward mcp --read-only`); its environment carries only
// what the cluster clients need, through a private config file (never argv).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClaudeCli } from '../adapters/claude-cli/claude-cli.js';
import { runGoalSession, type GoalSessionResult } from '../agent/propose/goal-proposer.js';
import type { Proposal } from '../agent/propose/proposal.js';
import { MCP_SERVER_NAME, READ_TOOLS } from '../agent/mcp/tool-names.js';
import type { StewardConfig } from '../config/schema.js';
import type { ProposalWorktreePort } from '../ports/proposal-worktree.js';
import { PACKAGE_ROOT } from '../version.js';
import { GOALS_DIR } from './commands/review.js';
import type { CliContext } from './context.js';

const MCP_ENV = ['PATH', 'HOME', 'LANG', 'NIX_CONFIG', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'STEWARD_NIX'];
const MCP_WAIT_ENV = { MCP_CONNECTION_NONBLOCKING: 'false', MCP_CONNECT_TIMEOUT_MS: '60000', MCP_TIMEOUT: '60000' };

export async function runGoalProposer(
  ctx: CliContext,
  input: { config: StewardConfig; repoRoot: string; stateFile: string; configFile?: string; base: string; worktrees: ProposalWorktreePort },
): Promise<Proposal | null> {
  const goal = await readFile(path.join(GOALS_DIR, 'proactive.md'), 'utf8');
  return (await runAgentChange(ctx, { ...input, goal, topicPrefix: 'goal' }))?.proposal ?? null;
}

/** A session toward `goal` (a whole prompt); null when `claude` is not available. */
export async function runAgentChange(
  ctx: CliContext,
  input: { config: StewardConfig; repoRoot: string; stateFile: string; configFile?: string; base: string; worktrees: ProposalWorktreePort; goal: string; topicPrefix: string },
): Promise<GoalSessionResult | null> {
  const { config } = input;
  const claude = createClaudeCli({ command: config.llm.command, env: { source: ctx.env, set: MCP_WAIT_ENV }, logger: ctx.logger, redactor: ctx.redactor });
  if (!(await claude.version())) {
    ctx.logger.info(`goal proposals skipped: \`${config.llm.command}\` is not available`);
    return null;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-propose-mcp-'));
  try {
    const env: Record<string, string> = {};
    for (const name of [...MCP_ENV, config.nomad.tokenEnv, config.consul.tokenEnv]) if (ctx.env[name] !== undefined) env[name] = ctx.env[name]!;
    const args = [fileURLToPath(new URL('dist/cli.js', PACKAGE_ROOT)), 'mcp', '--read-only', '--session', `propose-${randomUUID()}`, '--repo', input.repoRoot, '--state', input.stateFile];
    if (input.configFile) args.push('--config', path.resolve(input.configFile));
    const configFile = path.join(dir, 'mcp.json');
    await writeFile(configFile, JSON.stringify({ mcpServers: { [MCP_SERVER_NAME]: { type: 'stdio', command: process.execPath, args, env } } }), { mode: 0o600 });
    return await runGoalSession(
      { claude, worktrees: input.worktrees, logger: ctx.logger },
      {
        base: input.base,
        goal: input.goal,
        topicPrefix: input.topicPrefix,
        maxTurns: config.agent.maxTurns,
        timeoutMs: config.agent.timeoutSeconds * 1000,
        secretGlobs: config.classify.secrets,
        mcp: { configFile, allowedTools: READ_TOOLS.map((t) => `mcp__${MCP_SERVER_NAME}__${t}`) },
        ...(config.llm.model ? { model: config.llm.model } : {}),
        ...(config.agent.maxBudgetUsd !== undefined ? { maxBudgetUsd: config.agent.maxBudgetUsd } : {}),
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
