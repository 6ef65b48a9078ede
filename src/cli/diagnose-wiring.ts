// What the deploy's diagnosis is wired with: its store (the same state file), the failure
// knowledge (Steward's goals and main's committed .steward/knowledge), the journal of a host's
// failed units, and, unless llm.mode is off, Claude Code as the strategy chooser with Steward's
// read-only MCP tools.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClaudeCli } from '../adapters/claude-cli/claude-cli.js';
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import type { StewardConfig } from '../config/schema.js';
import type { DiagnoseDeps } from '../pipeline/diagnose-failure.js';
import { loadFailureKnowledge } from '../pipeline/diagnose-knowledge.js';
import { createClaudeStrategyChooser } from '../pipeline/diagnose-llm.js';
import type { GitPort } from '../ports/git.js';
import { PACKAGE_ROOT } from '../version.js';
import { GOALS_DIR } from './commands/review.js';
import type { CliContext } from './context.js';
import { MCP_ENV, MCP_WAIT_ENV } from './session-command.js';
import { buildDiagnostics } from './session-wiring.js';

export interface DiagnoseWiring {
  diagnose: DiagnoseDeps;
  journalFor(host: string, unit: string): Promise<string[]>;
  /** Tests only (STEWARD_TEST_RETRY_WAIT_MS): every retry waits this long instead of its waitSeconds. */
  wait?(ms: number): Promise<void>;
  close(): void;
}

export async function wireDiagnosis(ctx: CliContext, config: StewardConfig, options: { stateFile: string; git?: GitPort; configFile?: string; hostsRoot?: string; llm?: boolean }): Promise<DiagnoseWiring> {
  const store = new SqliteDiagnosisStore({ file: options.stateFile });
  const knowledge = await loadFailureKnowledge({ goalsDir: GOALS_DIR, ...(options.git ? { git: options.git } : {}), mainBranch: config.agent.mainBranch });
  for (const problem of knowledge.problems) ctx.logger.warn(`failure knowledge: ${problem}`);
  let chooser: DiagnoseDeps['chooser'];
  if ((options.llm ?? true) && config.llm.mode !== 'off') {
    const mcpEnv: Record<string, string> = {};
    for (const name of [...MCP_ENV, config.nomad.tokenEnv, config.consul.tokenEnv]) if (ctx.env[name] !== undefined) mcpEnv[name] = ctx.env[name]!;
    const args = [fileURLToPath(new URL('dist/cli.js', PACKAGE_ROOT)), 'mcp', '--state', options.stateFile];
    if (options.git) args.push('--repo', options.git.root);
    if (options.configFile) args.push('--config', path.resolve(options.configFile));
    if (options.hostsRoot) args.push('--hosts-root', path.resolve(options.hostsRoot));
    chooser = createClaudeStrategyChooser({
      claude: createClaudeCli({ command: config.llm.command, env: { source: ctx.env, set: MCP_WAIT_ENV }, logger: ctx.logger, redactor: ctx.redactor }),
      config,
      goalsDir: GOALS_DIR,
      redactor: ctx.redactor,
      mcp: { command: process.execPath, args, env: mcpEnv },
    });
  }
  return {
    diagnose: { store, knowledge, logger: ctx.logger, redactor: ctx.redactor, ...(chooser ? { chooser } : {}) },
    async journalFor(host, unit) {
      const diagnostics = buildDiagnostics(ctx, config, host, options.hostsRoot);
      return diagnostics ? diagnostics.journal({ unit, lines: 20, timeoutMs: 15_000 }).catch(() => []) : [];
    },
    ...testWait(ctx.env.STEWARD_TEST_RETRY_WAIT_MS),
    close: () => store.close(),
  };
}

/** End-to-end tests cannot wait a real minute per retry; the wait is still taken, only shorter. */
function testWait(value: string | undefined): { wait?: (ms: number) => Promise<void> } {
  const ms = Number(value);
  if (!value || !Number.isFinite(ms) || ms < 0) return {};
  return { wait: () => new Promise((resolve) => setTimeout(resolve, ms)) };
}
