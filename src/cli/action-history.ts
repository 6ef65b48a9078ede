// `steward history --actions`: the agent's action records from the state file, as text or JSON.
import { renderActionHistory, summariseActions } from '../agent/session/action-history.js';
import { SqliteSessionStore } from '../adapters/store-sqlite/session-store.js';
import type { StewardConfig } from '../config/schema.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';

export function actionHistory(ctx: CliContext, config: StewardConfig, stateFile: string, flags: { limit: number; json?: boolean }): ExitCode {
  const store = new SqliteSessionStore({ file: stateFile });
  try {
    const records = store.actions({ limit: 100_000 });
    const summary = summariseActions(records);
    const shown = records.slice(0, flags.limit);
    ctx.out(flags.json ? JSON.stringify({ schema: 'steward.actions/v1', autonomy: config.agent.autonomy, classes: summary, actions: shown }, null, 2) : renderActionHistory(shown, config.agent.autonomy));
    return ExitCode.ok;
  } finally {
    store.close();
  }
}
