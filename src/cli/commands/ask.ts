// `steward ask "<question>"`: a person asks; a read-only investigation and an answer.
import type { Command } from 'commander';
import { action } from '../context.js';
import { runSessionCommand, sessionOptions, type SessionCommandFlags } from '../session-command.js';

export function registerAsk(program: Command): void {
  sessionOptions(program.command('ask').description('Agent session: answer a question about the homelab (read-only).').argument('<question>', 'what you want to know')).action(
    action(program, (ctx, question: string, flags: SessionCommandFlags) => runSessionCommand(ctx, flags, { kind: 'ask', question })),
  );
}
