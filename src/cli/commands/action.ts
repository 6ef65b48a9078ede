// `steward action approve|reject <id>`: a person's decision on an action an agent session
// proposed (autonomy `propose`). Approved actions run through policy, rate limit and the executor.
import type { Command } from 'commander';
import { decideProposal } from '../../agent/session/decide-proposal.js';
import { UsageError } from '../../errors.js';
import { action, type CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { wireSession, type SessionFlags } from '../session-wiring.js';

export function registerAction(program: Command): void {
  const cmd = program.command('action').description("Approve or reject an action an agent session proposed (see `steward history --actions`).");
  for (const [verb, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    cmd
      .command(verb)
      .argument('<id>', 'the action record id')
      .option('--repo <dir>', 'the homelab repository (default: the current directory)')
      .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
      .option('--state <file>', 'the state database')
      .option('--hosts-root <dir>', 'fixture hosts: every host is a directory <dir>/<host>')
      .option('--json', 'print the outcome as JSON')
      .action(action(program, (ctx, id: string, flags: SessionFlags & { json?: boolean }) => decide(ctx, id, decision, flags)));
  }
}

async function decide(ctx: CliContext, idText: string, decision: 'approved' | 'rejected', flags: SessionFlags & { json?: boolean }): Promise<ExitCode> {
  const id = Number(idText);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`not an action record id: ${idText}`);
  const wiring = await wireSession(ctx, flags);
  try {
    const outcome = await decideProposal(wiring.env, id, decision);
    if (!outcome.ok) throw new UsageError(outcome.reason);
    ctx.out(flags.json ? JSON.stringify({ id, decision, ...outcome }, null, 2) : `#${id} ${decision}: ${outcome.status}: ${outcome.detail}`);
    return outcome.status === 'failed' ? ExitCode.deployFailed : ExitCode.ok;
  } finally {
    wiring.close();
  }
}
