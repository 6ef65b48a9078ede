// `steward demo`: the README's main command (`npm run demo`).
import { type Command, Option } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { action } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run Steward on the bundled example homelab: real commits, real Nix builds, a review of each.')
    .option('--keep', 'keep the temporary repository and print its path')
    .addOption(new Option('--llm <mode>', 'LLM review of each commit (auto uses a local, logged-in `claude`)').choices(['off', 'auto', 'required']).default('off'))
    .action(
      action(program, async (ctx, flags: { keep?: boolean; llm: string }) => {
        const result = await runDemo({ logger: ctx.logger, out: ctx.out, env: ctx.env, keep: flags.keep, reviewArgs: ['--llm', flags.llm] });
        const failed = result.scenarios.filter((s) => !s.ok);
        if (failed.length > 0) ctx.logger.error(`${failed.length} scenario(s) did not get the expected label: ${failed.map((s) => s.id).join(', ')}`);
        return failed.length > 0 ? ExitCode.internal : ExitCode.ok;
      }),
    );
}
