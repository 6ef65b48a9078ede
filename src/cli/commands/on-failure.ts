// `steward on-failure <unit> [--host H]`: started by systemd `OnFailure=` through a template unit.
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { UNIT_NAME } from '../../ports/host-diagnostics.js';
import { action } from '../context.js';
import { runSessionCommand, sessionOptions, type SessionCommandFlags } from '../session-command.js';

export function registerOnFailure(program: Command): void {
  sessionOptions(
    program
      .command('on-failure')
      .description('Agent session: a systemd unit failed; find out why, fix it if policy allows, else escalate.')
      .argument('<unit>', 'the unit that failed (systemd passes %i)')
      .option('--host <name>', 'the host it failed on (default: every configured host is looked at)'),
  ).action(
    action(program, (ctx, unit: string, flags: SessionCommandFlags & { host?: string }) => {
      const name = unit.includes('.') ? unit : `${unit}.service`;
      if (!UNIT_NAME.test(name)) throw new UsageError(`not a systemd unit name: ${JSON.stringify(unit)}`);
      return runSessionCommand(ctx, flags, { kind: 'on-failure', unit: name, ...(flags.host ? { host: flags.host } : {}) });
    }),
  );
}
