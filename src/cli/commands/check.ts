// `steward check`: the health-check goal (run by a systemd timer).
import type { Command } from 'commander';
import { action } from '../context.js';
import { runSessionCommand, sessionOptions, type SessionCommandFlags } from '../session-command.js';

export function registerCheck(program: Command): void {
  sessionOptions(program.command('check').description('Agent session: check the homelab\'s health, fix what policy allows, escalate the rest.')).action(
    action(program, (ctx, flags: SessionCommandFlags) => runSessionCommand(ctx, flags, { kind: 'check' })),
  );
}
