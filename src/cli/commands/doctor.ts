// `steward doctor` and `steward schema`.
import type { Command } from 'commander';
import { openGitRepo } from '../../adapters/git-cli.js';
import { buildConfigJsonSchema } from '../../config/json-schema.js';
import { loadConfig } from '../../config/load.js';
import type { StewardConfig } from '../../config/schema.js';
import { checkClaude, checkCluster, checkGit, checkGithub, checkNix, checkNode, checkRepository, type CheckResult, type DoctorContext } from '../../doctor/checks.js';
import { ConfigError } from '../../errors.js';
import { action, type CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';

const MARK: Record<CheckResult['status'], string> = { ok: '✓', warn: '!', missing: '✗', error: '✗' };

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Check what Steward needs (Nix, git, claude, cluster, GitHub) and say how to fix what is missing.')
    .option('--repo <dir>', 'the homelab repository (default: the current directory)')
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--json', 'print the checks as JSON')
    .action(action(program, (ctx, flags: { repo?: string; config?: string; json?: boolean }) => doctor(ctx, flags)));

  program
    .command('schema')
    .description('Print the JSON Schema of steward.json (for editors).')
    .action(
      action(program, async (ctx) => {
        ctx.out(JSON.stringify(buildConfigJsonSchema(), null, 2));
        return ExitCode.ok;
      }),
    );
}

async function doctor(ctx: CliContext, flags: { repo?: string; config?: string; json?: boolean }): Promise<ExitCode> {
  const repoDir = await openGitRepo(flags.repo ?? process.cwd()).then((g) => g.root, () => null);
  let config: StewardConfig | null = null;
  let configProblem: string | null = null;
  let configFile: string | null = null;
  if (repoDir) {
    try {
      const loaded = await loadConfig(repoDir, flags.config);
      config = loaded.config;
      configFile = loaded.file;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      configProblem = error.problems.join('; ');
    }
  }
  const dctx: DoctorContext = { env: ctx.env, repoDir, config, configProblem, configFile, probeTimeoutMs: 3000 };
  const results = (await Promise.all([checkNode(), checkGit(dctx), checkNix(dctx), checkRepository(dctx), checkClaude(dctx), checkCluster(dctx), checkGithub(dctx)])).flat();
  const blocking = results.filter((r) => r.required && r.status !== 'ok');
  // Details quote addresses, tool output and config problems: the same redaction as the logs.
  const out = (text: string) => ctx.out(ctx.redactor.redact(text));
  if (flags.json) out(JSON.stringify({ ok: blocking.length === 0, checks: results }, null, 2));
  else {
    const width = Math.max(...results.map((r) => r.name.length));
    const lines = results.map((r) => `${MARK[r.status]} ${r.name.padEnd(width)}  ${r.detail}${r.fix ? `\n  ${' '.repeat(width)}  fix: ${r.fix}` : ''}`);
    out([...lines, '', blocking.length === 0 ? 'Steward can run here.' : `Missing for Steward to run: ${blocking.map((r) => r.name).join(', ')}.`].join('\n'));
  }
  return blocking.length === 0 ? ExitCode.ok : ExitCode.missingDependency;
}
