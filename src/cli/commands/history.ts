// `steward history`: the deploy history from the state store, or what was deployed where at a
// time (`--at`).
import { Option, type Command } from 'commander';
import { openGitRepo } from '../../adapters/git-cli.js';
import { loadConfig } from '../../config/load.js';
import { defaultConfig } from '../../config/schema.js';
import { parseTimeArg, renderHistory, renderStateAt, stateAt } from '../../stages/record/history.js';
import { action, type CliContext } from '../context.js';
import { openStore, stateFileFor } from '../deploy-wiring.js';
import { ExitCode } from '../exit-codes.js';
import { actionHistory } from '../action-history.js';
import { diagnosisHistory } from '../diagnosis-history.js';

export interface HistoryFlags {
  repo: string;
  config?: string;
  state?: string;
  target?: string;
  at?: string;
  limit: number;
  json?: boolean;
  actions?: boolean;
  diagnoses?: boolean;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('What was deployed where, and when.')
    .option('--repo <dir>', 'the homelab repository', process.cwd())
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--state <file>', 'the state database (default: deploy.stateFile, else $XDG_STATE_HOME/steward/state.db)')
    .option('--target <name>', 'one target: a host or job name, or host:<name> / job:<name>')
    .option('--at <time>', 'what was deployed at a time: 2025-01-31, 2025-01-31T18:00Z, 3d, "12 hours ago", yesterday')
    .addOption(new Option('--limit <n>', 'at most this many entries').argParser((v) => Number(v)).default(100))
    .option('--json', 'print JSON (schema steward.history/v1)')
    .option('--actions', "the agent's action records and each action class's track record")
    .option('--diagnoses', 'diagnosed deploy failures (evidence, strategy, outcome) and knowledge suggestions')
    .action(action(program, (ctx, flags: HistoryFlags) => history(ctx, flags)));
}

export async function history(ctx: CliContext, flags: HistoryFlags): Promise<ExitCode> {
  // Outside a repository (on the deploy machine) the state file alone is enough.
  const root = await openGitRepo(flags.repo).then((g) => g.root, () => null);
  const config = root ? (await loadConfig(root, flags.config)).config : defaultConfig();
  if (flags.diagnoses) return diagnosisHistory(ctx, stateFileFor(config, root ?? process.cwd(), ctx.env, flags.state), flags);
  if (flags.actions) return actionHistory(ctx, config, stateFileFor(config, root ?? process.cwd(), ctx.env, flags.state), flags);
  const store = openStore(stateFileFor(config, root ?? process.cwd(), ctx.env, flags.state));
  try {
    const at = flags.at ? parseTimeArg(flags.at, new Date()) : undefined;
    const entries = store.history({ ...(flags.target ? { target: flags.target } : {}), ...(at ? { at } : {}), limit: at ? 100_000 : flags.limit });
    if (at) {
      const states = stateAt(entries);
      ctx.out(flags.json ? JSON.stringify({ schema: 'steward.history/v1', at: at.toISOString(), targets: states }, null, 2) : renderStateAt(states, at));
    } else {
      ctx.out(flags.json ? JSON.stringify({ schema: 'steward.history/v1', entries }, null, 2) : renderHistory(entries));
    }
    return ExitCode.ok;
  } finally {
    store.close();
  }
}
