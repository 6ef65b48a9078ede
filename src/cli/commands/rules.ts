// `steward rules`: every classification rule with its id, label and meaning.
import type { Command } from 'commander';
import { listRules } from '../../stages/classify/classify-rules.js';
import { action } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('List the classification rules (ids for `classify.rules` overrides in steward.json).')
    .option('--json', 'print the rules as JSON')
    .action(
      action(program, async (ctx, flags: { json?: boolean }) => {
        const rules = listRules();
        ctx.out(flags.json ? JSON.stringify(rules, null, 2) : rules.map((r) => `${r.id.padEnd(28)} ${r.label.padEnd(13)} ${r.summary}`).join('\n'));
        return ExitCode.ok;
      }),
    );
}
