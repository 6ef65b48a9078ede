// The SessionRunner `steward serve` hands incidents to: the ONE place where serve meets the session
// runner. Until it is connected, a placeholder records that no session ran, and says so.
// To connect (same shape as the session runner's `buildSessionRunner`):
//   return buildSessionRunner(ctx, { repo: input.repoRoot, ...(input.configFile ? { config: input.configFile } : {}), state: input.stateFile }, input.notifier);
import type { Notifier } from '../ports/notifier.js';
import type { SessionRunner } from '../ports/session-runner.js';
import type { CliContext } from './context.js';

export interface ServeSessionInput {
  repoRoot: string;
  configFile: string | null;
  stateFile: string;
  /** serve's notifier: the session announces escalations and proposals through it. */
  notifier: Notifier;
}

export async function createServeSessionRunner(ctx: CliContext, _input: ServeSessionInput): Promise<{ runner: SessionRunner; close(): void }> {
  let sessions = 0;
  const runner: SessionRunner = {
    async run(trigger) {
      const at = new Date().toISOString();
      ctx.logger.warn('serve: the session runner is not connected in this build; the incident is recorded only');
      return {
        id: `placeholder-${process.pid}-${++sessions}`,
        trigger,
        goal: trigger.kind === 'check' ? 'health-check' : trigger.kind,
        mode: 'rules-only',
        startedAt: at,
        finishedAt: at,
        answer: null,
        noAnswer: { reason: 'not-connected', detail: 'no session runner in this build' },
        actions: [],
        escalated: false,
        notifications: [],
        stats: { contextTokens: 0, turns: null, toolCalls: 0, costUsd: null, durationMs: 0 },
      };
    },
  };
  return { runner, close: () => {} };
}
