// The agent's deploy actions run Steward's own `steward deploy --json` as a child process: the same
// lock, gate, pre-flight, guarded activation, verification and records as a deploy from CI.
import { fileURLToPath } from 'node:url';
import { runProcess } from '../adapters/process/run-process.js';
import type { DeployCommand } from '../agent/session/environment.js';
import { DeployReport } from '../stages/record/deploy-record.js';
import { PACKAGE_ROOT } from '../version.js';
import type { CliContext } from './context.js';

/** The built CLI (as `steward mcp` is started): the same from the sources (tests) and from dist. */
const CLI = fileURLToPath(new URL('dist/cli.js', PACKAGE_ROOT));

export interface SessionDeployInput {
  repoRoot: string;
  configFile?: string;
  stateFile: string;
  hostsRoot?: string;
  timeoutMs: number;
  /** The built CLI; default the package's dist/cli.js. */
  cli?: string;
}

export function createDeployCommand(ctx: CliContext, input: SessionDeployInput): DeployCommand {
  return {
    async run(request, signal) {
      // --unattended: an agent's rollback is no person's approval; a risky one is held at the gate.
      const args = [input.cli ?? CLI, 'deploy', '--json', '--unattended', '--repo', input.repoRoot, '--state', input.stateFile];
      if (input.configFile) args.push('--config', input.configFile);
      if (input.hostsRoot) args.push('--hosts-root', input.hostsRoot);
      if (request.rollbackTo) args.push('--rollback-to', request.rollbackTo);
      else if (request.head) args.push('--head', request.head);
      if (request.dryRun) args.push('--dry-run');
      const result = await runProcess(process.execPath, args, { timeoutMs: input.timeoutMs, ...(signal ? { signal } : {}) });
      const parsed = parseJson(result.stdout);
      const report = DeployReport.safeParse(parsed);
      return { exitCode: result.exitCode, report: report.success ? report.data : null, output: ctx.redactor.redact(`${result.stderr}`).split('\n').slice(-20).join('\n') };
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
