// What `steward check`, `on-failure` and `ask` share: their options, the runner's wiring (Claude
// Code with `steward mcp`, or rules-only triage), the output (text or --json) and the exit code.
import { Option, type Command } from 'commander';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClaudeCli } from '../adapters/claude-cli/claude-cli.js';
import { createClaudeInvestigator } from '../agent/session/claude-session.js';
import { renderSessionText } from '../agent/session/render-answer.js';
import { createSessionRunner } from '../agent/session/runner.js';
import type { SessionTrigger } from '../model/agent-session.js';
import { silentNotifier, type Notifier } from '../ports/notifier.js';
import type { SessionRunner } from '../ports/session-runner.js';
import { PACKAGE_ROOT } from '../version.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { wireSession, type SessionFlags } from './session-wiring.js';

export interface SessionCommandFlags extends SessionFlags {
  json?: boolean;
  llm?: 'off' | 'auto';
}

export function sessionOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', 'the homelab repository (default: the current directory)')
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--state <file>', 'the state database (default: deploy.stateFile, else $XDG_STATE_HOME/steward/state.db)')
    .option('--hosts-root <dir>', 'fixture hosts: every host is a directory <dir>/<host> (demos and tests)')
    .addOption(new Option('--llm <mode>', 'off: rules-only triage; auto: Claude Code when `claude` is available (default: llm.mode)').choices(['off', 'auto']))
    .option('--json', 'print the session record as JSON (schema steward.session/v1)');
}

/** Variables the MCP server needs to reach hosts, Nomad and Consul; nothing else is passed on. */
export const MCP_ENV = ['PATH', 'HOME', 'LANG', 'SSH_AUTH_SOCK', 'NIX_SSHOPTS', 'NIX_CONFIG', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'STEWARD_NIX'];

/**
 * Claude Code may start a print-mode session before its MCP servers are connected, and gives a
 * server 5 s to connect: on a loaded machine the first tool calls then find no Steward tools.
 * Wait for the connection (blocking), and give it the session's time.
 */
export const MCP_WAIT_ENV = { MCP_CONNECTION_NONBLOCKING: 'false', MCP_CONNECT_TIMEOUT_MS: '60000', MCP_TIMEOUT: '60000' };

/**
 * The SessionRunner of a Steward process (`check`, `on-failure`, `ask`, and `steward serve`'s
 * queue): Claude Code with `steward mcp` when llm is on, rules-only triage otherwise.
 */
export async function buildSessionRunner(ctx: CliContext, flags: SessionCommandFlags, notifier: Notifier = silentNotifier): Promise<{ runner: SessionRunner; close(): void }> {
  const wiring = await wireSession(ctx, flags);
  const { env } = wiring;
  const config = env.config;
  const mode = flags.llm ?? (config.llm.mode === 'off' ? 'off' : 'auto');
  const mcpEnv: Record<string, string> = {};
  for (const name of [...MCP_ENV, config.nomad.tokenEnv, config.consul.tokenEnv]) if (ctx.env[name] !== undefined) mcpEnv[name] = ctx.env[name]!;
  const mcpArgs = [fileURLToPath(new URL('dist/cli.js', PACKAGE_ROOT)), 'mcp', '--state', wiring.stateFile];
  if (env.git) mcpArgs.push('--repo', env.git.root);
  if (flags.config) mcpArgs.push('--config', path.resolve(flags.config));
  if (flags.hostsRoot) mcpArgs.push('--hosts-root', path.resolve(flags.hostsRoot));
  const investigator =
    mode === 'off'
      ? undefined
      : createClaudeInvestigator({
          claude: createClaudeCli({ command: config.llm.command, env: { source: ctx.env, set: MCP_WAIT_ENV }, logger: ctx.logger, redactor: ctx.redactor }),
          config,
          mcp: { command: process.execPath, args: mcpArgs, env: mcpEnv },
          ...(config.llm.model ? { model: config.llm.model } : {}),
        });
  const runner = createSessionRunner({ env, notifier, ...(investigator ? { investigator } : { noInvestigatorReason: 'llm is off' }) });
  return { runner, close: () => wiring.close() };
}

export async function runSessionCommand(ctx: CliContext, flags: SessionCommandFlags, trigger: SessionTrigger, notifier: Notifier = silentNotifier): Promise<ExitCode> {
  const { runner, close } = await buildSessionRunner(ctx, flags, notifier);
  try {
    const record = await runner.run(trigger);
    ctx.out(ctx.redactor.redact(flags.json ? JSON.stringify({ schema: 'steward.session/v1', ...record }, null, 2) : renderSessionText(record)));
    return record.escalated ? ExitCode.escalated : ExitCode.ok;
  } finally {
    close();
  }
}
