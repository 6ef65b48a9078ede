// The SessionRunner `steward serve` hands incidents to. A placeholder until the session runner
// (context, goals, MCP tools) is connected here: it records that no session ran, and says so.
import type { StewardConfig } from '../config/schema.js';
import type { Notifier } from '../ports/notifier.js';
import type { SessionRunner } from '../ports/session-runner.js';
import type { CliContext } from './context.js';

export interface SessionWiring {
  config: StewardConfig;
  repoRoot: string;
  stateFile: string;
  notifier: Notifier;
}

export function createSessionRunner(ctx: CliContext, _wiring: SessionWiring): SessionRunner {
  let sessions = 0;
  return {
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
}
