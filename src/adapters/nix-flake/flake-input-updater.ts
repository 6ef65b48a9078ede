// FlakeInputUpdater over the nix CLI: `nix flake update <input>` (Nix 2.19 and later, Lix), or
// `nix flake lock --update-input <input>` before that, when `flake update` took no input names.
import { CommandError } from '../../errors.js';
import type { FlakeInputUpdater } from '../../ports/flake-input-updater.js';
import type { Redactor } from '../../redact.js';
import { parseNixVersion } from '../nix/output-shapes.js';
import { describeFailure, runProcess } from '../process/run-process.js';

export interface FlakeInputUpdaterOptions {
  command: string;
  extraArgs: string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  redactor: Redactor;
}

const EXPERIMENTAL = ['--extra-experimental-features', 'nix-command flakes'];

export function createFlakeInputUpdater(options: FlakeInputUpdaterOptions): FlakeInputUpdater {
  let newSyntax: Promise<boolean> | undefined;
  const run = (args: string[], cwd: string, timeoutMs: number) => runProcess(options.command, [...EXPERIMENTAL, ...args], { cwd, env: options.env, timeoutMs });
  return {
    async updateInput(flakeDir, input) {
      newSyntax ??= run(['--version'], flakeDir, 60_000).then((r) => {
        const version = parseNixVersion(r.stdout);
        if (!version) return false;
        if (version.implementation === 'lix') return true;
        const [major = 0, minor = 0] = version.version.split('.').map(Number);
        return major > 2 || (major === 2 && minor >= 19);
      });
      const args = (await newSyntax) ? ['flake', 'update', input] : ['flake', 'lock', '--update-input', input];
      const result = await run([...args, ...options.extraArgs], flakeDir, options.timeoutMs);
      if (result.exitCode !== 0) {
        throw new CommandError(`nix ${args.join(' ')}`, result.exitCode ?? undefined, options.redactor.redact(result.stderr.slice(-4000)), `nix ${args.join(' ')} failed: ${describeFailure(result)}`);
      }
    },
  };
}
