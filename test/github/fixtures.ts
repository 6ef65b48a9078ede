// Shared fixtures for the GitHub suites: a valid ReviewReport, a port wired to the double, and a
// logger that keeps every line (to prove the token never reaches a log).
import { createGitHubPort } from '../../src/adapters/github-octokit/github-port.js';
import { emptyHostChange } from '../../src/model/host-change.js';
import type { Label } from '../../src/model/label.js';
import { REVIEW_SCHEMA_VERSION, ReviewReport } from '../../src/model/review.js';
import type { GitHubPort } from '../../src/ports/github.js';
import type { Logger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { afterEach, beforeEach, expect } from 'vitest';
import { startGitHubDouble, type GitHubDouble } from '../fakes/github-api/server.js';

/** Shaped like an Actions installation token so the redactor's patterns would catch it too. */
export const TOKEN = 'ghs_StewardDoubleToken0123456789abcdefXYZ';

export const SHA_A = 'a'.repeat(40);

export interface CapturingLogger extends Logger {
  lines: string[];
}

export function capturingLogger(redactor: Redactor): CapturingLogger {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => void lines.push(`${level}: ${redactor.redact(message)}`);
  return {
    lines,
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    debug: push('debug'),
    group: async (title, fn) => {
      lines.push(`group: ${title}`);
      return fn();
    },
  };
}

export interface Wired {
  github: GitHubPort;
  redactor: Redactor;
  logger: CapturingLogger;
}

export function wire(double: GitHubDouble, options: { retries?: number } = {}): Wired {
  const redactor = new Redactor();
  const logger = capturingLogger(redactor);
  const github = createGitHubPort({ repository: double.state.fullName, token: TOKEN, baseUrl: double.url, redactor, logger, pacing: 'none', waitUnitMs: 1, ...options });
  return { github, redactor, logger };
}

export function buildReport(overrides: { head: string; base?: string; label?: Label; outcome?: 'reviewed' | 'build-failed' }): ReviewReport {
  const label = overrides.label ?? 'risky';
  const base = overrides.base ?? SHA_A;
  const nas = emptyHostChange('nas', ['nfs-server'], 'changed');
  nas.units = [{ unit: 'sshd.service', change: 'changed', action: 'restart', critical: true, why: 'ExecStart changed', stateful: false, changedKeys: ['Service.ExecStart'] }];
  if (overrides.outcome === 'build-failed') nas.error = { phase: 'eval', revision: 'head', lines: ['error: undefined variable `pkgs`'], file: 'hosts/nas/default.nix', line: 7 };
  const reasons = [
    {
      ruleId: 'critical-unit-restart',
      label,
      message: 'sshd.service restarts on nas: a bad config locks you out',
      evidence: [{ host: 'nas', unit: 'sshd.service', file: 'hosts/nas/default.nix', line: 12 }],
    },
  ];
  return ReviewReport.parse({
    schema: REVIEW_SCHEMA_VERSION,
    repo: '/srv/homelab',
    base,
    head: overrides.head,
    level: 'build',
    outcome: overrides.outcome ?? 'reviewed',
    label,
    verdict: { label, decidedBy: 'rules', reviewed: false, rules: { label, reasons, hosts: { nas: label }, jobs: {} } },
    changeSet: { base, head: overrides.head, level: 'build', hosts: [nas], repo: { files: [], signals: [], inputs: [], secrets: [], docsOnly: false }, errors: [], jobs: [], jobFindings: [] },
    stats: { nix: '2.8.0', hostsTotal: 3, hostsChanged: 1, toplevelsBuilt: 1, evalProcesses: 1, baseFromCache: false },
    timings: { detectMs: 1, evalMs: 1, buildMs: 1, analyzeMs: 1, classifyMs: 1, totalMs: 5 },
  });
}

export const MARKDOWN = ['# Steward review', '', '**risky**: sshd restarts on nas.', '', '## Hosts', '', '- nas: sshd.service restart', ''].join('\n');

/** A main branch with one commit and a feature branch one commit ahead; returns their SHAs. */
export function seedRepo(double: GitHubDouble): { main: string; feature: string } {
  const { state } = double;
  const main = state.commitFiles({ 'flake.nix': '{ }\n', 'hosts/nas/default.nix': 'x\n' }, null, 'init');
  state.setBranch('main', main);
  const feature = state.commitFiles({ 'hosts/nas/default.nix': 'y\n' }, main, 'change sshd');
  state.setBranch('feature', feature);
  return { main, feature };
}

/**
 * A fresh double per test, seeded by `seedRepo`; after each test every request Steward sent and
 * every response the double built must have matched GitHub's description.
 */
export function useSeededDouble(): { readonly double: GitHubDouble; readonly shas: { main: string; feature: string } } {
  let double: GitHubDouble | undefined;
  let shas: { main: string; feature: string } | undefined;
  beforeEach(async () => {
    double = await startGitHubDouble({ token: TOKEN });
    shas = seedRepo(double);
  });
  afterEach(async () => {
    expect(double?.violations).toEqual([]);
    await double?.close();
  });
  return {
    get double() {
      return double as GitHubDouble;
    },
    get shas() {
      return shas as { main: string; feature: string };
    },
  };
}
