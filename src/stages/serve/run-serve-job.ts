// Runs one queued job: an incident's session through the SessionRunner, a resolution through the
// notifier, GitHub work through Steward's own commands (the same review and deploy a person runs).
import type { ServeJob, ServeJobPayload, ServeJobResult } from '../../model/serve-job.js';
import type { Notifier } from '../../ports/notifier.js';
import type { SessionRunner } from '../../ports/session-runner.js';
import { notifyDeployOutcome } from './deploy-notification.js';

/** One step of GitHub work: fetch what the event names, then a `steward` subcommand. */
export interface CommandStep {
  program: 'git' | 'steward';
  args: string[];
  /** A failed fetch is logged and the command runs anyway (it says clearly when a commit is missing). */
  optional: boolean;
  /** Exit codes that mean the command did its job (a held deploy, a review of a broken build). */
  okExit: number[];
}

export interface CommandRunner {
  /** stdout is the command's report (markdown), stderr its progress; both already redacted. */
  run(step: CommandStep, signal: AbortSignal): Promise<{ exitCode: number | null; stdout: string; stderr: string }>;
}

export interface ServeJobDeps {
  sessions: SessionRunner;
  notifier: Notifier;
  commands: CommandRunner;
  mainBranch: string;
}

/** The commands a GitHub job runs. Pure: the argv is built from checked fields only (shas, numbers). */
export function planCommands(payload: Exclude<ServeJobPayload, { kind: 'incident' | 'resolve' }>, mainBranch: string): CommandStep[] {
  const fetchMain: CommandStep = { program: 'git', args: ['fetch', '--quiet', 'origin', `+refs/heads/${mainBranch}:refs/remotes/origin/${mainBranch}`], optional: true, okExit: [0] };
  // README "Exit codes": 3 and 4 are a review's findings, 5 a deploy held for approval.
  const reviewOk = [0, 3, 4];
  const deployOk = [0, 3, 4, 5];
  switch (payload.kind) {
    case 'deploy':
      return [fetchMain, { program: 'steward', args: ['deploy', '--github', '--head', payload.head, '--main-branch', mainBranch], optional: false, okExit: deployOk }];
    case 'review':
      return [
        { program: 'git', args: ['fetch', '--quiet', 'origin', `+refs/pull/${payload.pr}/head:refs/remotes/origin/pr/${payload.pr}`], optional: true, okExit: [0] },
        fetchMain,
        { program: 'steward', args: ['review', '--github', '--pr', String(payload.pr), '--head', payload.head, '--base', payload.base], optional: false, okExit: reviewOk },
      ];
    case 'approval':
      // A merged approval lets the held commit deploy; a closed one is recorded as rejected. The
      // deploy of the main branch's head does both (it evaluates every pending approval).
      return [fetchMain, { program: 'steward', args: ['deploy', '--github', '--head', `origin/${mainBranch}`, '--main-branch', mainBranch], optional: false, okExit: deployOk }];
  }
}

export async function runServeJob(deps: ServeJobDeps, job: ServeJob, signal: AbortSignal): Promise<ServeJobResult> {
  const { payload } = job;
  switch (payload.kind) {
    case 'incident': {
      const record = await deps.sessions.run({ kind: 'incident', incidentKey: payload.incidentKey, alerts: payload.alerts }, { signal });
      const summary = record.answer?.summary ?? `no answer: ${record.noAnswer?.reason ?? 'unknown'}`;
      return { ok: record.answer !== null, summary: `session ${record.id} (${record.mode})${record.escalated ? ', escalated' : ''}: ${firstLine(summary)}` };
    }
    case 'resolve': {
      const results = await deps.notifier.resolve(`incident:${payload.incidentKey}`, 'Every alert of this incident resolved (Alertmanager).');
      const failed = results.filter((r) => r.status === 'failed');
      return { ok: failed.length === 0, summary: `incident ${payload.incidentKey} resolved; notifications: ${results.map((r) => `${r.channel} ${r.status}`).join(', ') || 'none configured'}` };
    }
    default: {
      let notified = '';
      for (const step of planCommands(payload, deps.mainBranch)) {
        const { exitCode, stdout, stderr } = await deps.commands.run(step, signal);
        if (payload.kind === 'deploy' && step.program === 'steward') notified = await notifyDeploy(deps, payload.head, exitCode, stdout);
        // An approval deploys the approved commit first: its failure is that commit's. A hold here
        // would be of a newer commit, which its own push announced.
        if (payload.kind === 'approval' && payload.merged && step.program === 'steward' && exitCode !== 5) notified = await notifyDeploy(deps, payload.commit, exitCode, stdout);
        if ((exitCode !== null && step.okExit.includes(exitCode)) || step.optional) continue;
        return { ok: false, summary: `${step.program} ${step.args[0]} exited ${exitCode ?? 'by a signal'}: ${firstLine(lastLines(`${stdout}\n${stderr}`))}${notified}` };
      }
      return { ok: true, summary: `${payload.kind} ${describe(payload)} done${notified}` };
    }
  }
}

async function notifyDeploy(deps: ServeJobDeps, head: string, exitCode: number | null, report: string): Promise<string> {
  const sent = await notifyDeployOutcome(deps.notifier, head, exitCode, report);
  if (!sent) return '';
  return sent.results.length ? `; ${sent.notification.kind}: ${sent.results.map((r) => `${r.channel} ${r.status}`).join(', ')}` : '';
}

function describe(payload: Exclude<ServeJobPayload, { kind: 'incident' | 'resolve' }>): string {
  return payload.kind === 'deploy' ? payload.head.slice(0, 12) : payload.kind === 'review' ? `#${payload.pr} at ${payload.head.slice(0, 12)}` : `#${payload.pr} (${payload.merged ? 'merged' : 'closed'})`;
}

const firstLine = (text: string) => (text.split('\n').find((l) => l.trim()) ?? '').slice(0, 300);
const lastLines = (text: string) => text.trim().split('\n').slice(-3).reverse().join('\n');
