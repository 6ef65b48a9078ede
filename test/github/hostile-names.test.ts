// Names from a hostile repository through every renderer that reaches GitHub: the review (stdout,
// job summary, check run text), the PR comment section, the check summary and annotations, the
// push section and check, the deploy report, the approval PR body. Each is read back with a real
// markdown parser: no mention, HTML, link, image, injected heading or emphasis may appear, and
// every name must still be readable.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import type { ChangeSet } from '../../src/model/changeset.js';
import { REVIEW_SCHEMA_VERSION, ReviewReport } from '../../src/model/review.js';
import { rulesOnlyVerdict } from '../../src/pipeline/review.js';
import { classifyRules } from '../../src/stages/classify/classify-rules.js';
import { approvalReasons, renderApprovalBody } from '../../src/stages/gate/approval/approval-format.js';
import { DEPLOY_SCHEMA_VERSION, type DeployReport, type TargetRecord } from '../../src/model/deploy-record.js';
import { renderDeployMarkdown } from '../../src/stages/record/render-deploy.js';
import { buildReviewCheck } from '../../src/stages/report/github/check-format.js';
import { writeJobSummary } from '../../src/stages/report/github/post-review.js';
import { buildPushCheck, renderPushSection, type PushOutcome } from '../../src/stages/report/github/push-format.js';
import { renderReviewSection } from '../../src/stages/report/github/review-section.js';
import { renderReviewMarkdown } from '../../src/stages/report/render-review-markdown.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { changeSet, file, host, jobChange, mount, signal, unit } from '../helpers/changesets.js';
import { findInjections, visibleText } from '../helpers/inert-markdown.js';

const HOST = 'nas\n# INJECTED heading';
const JOB = '@octo-org/admins';
const UNIT = 'x</summary><img src=x onerror=alert(1)>INJECTED.service';
const FILE = 'nomad/``evil`` [INJECTED](https://evil.example/x) <b>INJECTED</b>.nomad';
const NEWLINE_FILE = 'hosts/a.nix\n# INJECTED';
const IMAGE = 'evil/img:1 @octocat **INJECTED**';
const TASK = '_INJECTED_ ![INJECTED](https://evil.example/p.png)';
const RUN_URL = 'https://github.com/homelab/infra/actions/runs/1';
const CHECK_URL = 'https://github.com/homelab/infra/runs/2';
const SHA = 'b'.repeat(40);

function hostileChangeSet(): ChangeSet {
  return changeSet({
    hosts: [
      host(HOST, {
        roles: ['@octo-org/admins'],
        units: [unit('sshd.service', { critical: true }), unit(UNIT, { why: 'see https://evil.example' })],
        boot: { kernel: { from: 'linux-6.6.66/bzImage', to: 'linux-6.12.6/bzImage' } },
      }),
      host('node1', { mounts: [mount('/mnt/@octocat', { from: '<b>a</b>', to: '`b`' })], etc: ['ssh/@octocat'] }),
    ],
    jobs: [
      jobChange(JOB, {
        file: FILE,
        images: [{ group: JOB, task: TASK, from: 'nginx:1', to: IMAGE, bump: 'major', scheme: 'semver', repositoryChanged: true, note: '@octocat', stateful: false, database: false, line: 3 }],
      }),
    ],
    jobFindings: [{ severity: 'error', code: 'static-port-conflict', message: `port 80 of ${JOB} is held by [x](https://evil.example)`, file: FILE, line: 11, job: JOB }],
    repo: { files: [file(FILE), file(NEWLINE_FILE, { hosts: [HOST] })], signals: [signal('services.@octocat.enable', { file: NEWLINE_FILE, hosts: [HOST] })], inputs: [], secrets: [], docsOnly: false },
  });
}

function hostileReport(cs = hostileChangeSet()): ReviewReport {
  const rules = classifyRules(cs, { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 });
  return ReviewReport.parse({
    schema: REVIEW_SCHEMA_VERSION,
    repo: '/srv/homelab',
    base: cs.base,
    head: cs.head,
    level: cs.level,
    outcome: 'validation-failed',
    label: rules.label,
    verdict: rulesOnlyVerdict(rules),
    changeSet: cs,
    stats: { nix: 'nix 2.8.0', hostsTotal: cs.hosts.length, hostsChanged: cs.hosts.length, toplevelsBuilt: 2, evalProcesses: 1, baseFromCache: false },
    timings: { detectMs: 1, evalMs: 1, buildMs: 1, analyzeMs: 1, classifyMs: 1, totalMs: 5 },
  });
}

function target(kind: 'host' | 'job', name: string, message: string): TargetRecord {
  return { kind, name, result: 'failed', action: 'switch', from: null, to: null, message, pendingReboot: false, verification: [{ name: `reachable ${JOB}`, ok: false, detail: `<img src=x> ${IMAGE}`, target: `host ${HOST}` }], durationMs: 1 };
}

function hostileDeploy(report: ReviewReport): DeployReport {
  const targets = [target('host', HOST, `switch failed: ${UNIT}`), target('job', JOB, `image ${IMAGE} failed in ${TASK}`)];
  return {
    schema: DEPLOY_SCHEMA_VERSION,
    repo: '/srv/homelab',
    head: SHA,
    dryRun: false,
    outcome: 'failed',
    recovered: [],
    reboots: [],
    commits: [
      {
        head: SHA,
        bases: ['a'.repeat(40)],
        label: report.label,
        reasons: report.verdict.rules.reasons,
        digests: [],
        outcome: 'failed',
        approved: false,
        targets,
        preflight: [{ name: 'nomad leader', ok: true, detail: '@octocat', target: `job ${JOB}` }],
        invariants: [],
        note: `${HOST} failed`,
        timings: { reviewMs: 1, preflightMs: 1, prepareMs: 1, hostsMs: 1, jobsMs: 1, totalMs: 5 },
        startedAt: '2026-01-01T00:00:00Z',
        finishedAt: '2026-01-01T00:00:01Z',
      },
    ],
  };
}

function expectInert(markdown: string): void {
  expect(findInjections(markdown, { allowedLinks: [RUN_URL, CHECK_URL] })).toEqual([]);
}

describe('hostile names in every GitHub renderer', () => {
  const report = hostileReport();
  const markdown = renderReviewMarkdown(report);

  it('the review markdown (stdout, job summary, check text) renders them as text', () => {
    expectInert(markdown);
    const text = visibleText(markdown);
    for (const name of [JOB, UNIT, FILE, IMAGE, TASK, HOST.replace('\n', ' '), NEWLINE_FILE.replace('\n', ' ')]) expect(text).toContain(name);
  });

  it('the PR comment section, and the check summary and text', () => {
    expectInert(renderReviewSection(report, markdown, { checkUrl: CHECK_URL, runUrl: RUN_URL }));
    const check = buildReviewCheck(report, markdown, { fullReportUrl: RUN_URL });
    expectInert(check.summary);
    expectInert(check.text ?? '');
  });

  it('annotation titles stay on one line (annotations are plain text on GitHub)', () => {
    const check = buildReviewCheck(hostileReport(changeSet({ hosts: [host(HOST, { status: 'failed', error: { phase: 'eval', revision: 'head', file: 'hosts/a.nix', line: 2, lines: ['boom'] } })] })), '');
    expect(check.annotations.length).toBeGreaterThan(0);
    for (const a of check.annotations) expect(a.title ?? '').not.toContain('\n');
  });

  it('the push section and the push check', () => {
    const outcome: PushOutcome = {
      sha: SHA,
      label: 'risky',
      note: `${JOB} held: ${HOST}`,
      targets: [
        { kind: 'host', name: HOST, result: 'failed', message: `switch failed: ${UNIT}` },
        { kind: 'job', name: FILE, result: 'rolled-back', message: IMAGE },
      ],
    };
    expectInert(renderPushSection(outcome, { runUrl: RUN_URL }));
    const check = buildPushCheck(outcome, markdown, { fullReportUrl: RUN_URL });
    expectInert(check.summary);
    expectInert(check.text ?? '');
    expect(visibleText(renderPushSection(outcome))).toContain(FILE);
  });

  it('the deploy report (terminal, job summary, push check text)', () => {
    const deploy = renderDeployMarkdown(hostileDeploy(report));
    expectInert(deploy);
    expect(visibleText(deploy)).toContain(JOB);
  });

  it('the approval pull request body', () => {
    const reasons = approvalReasons(report.verdict.rules.reasons);
    expectInert(renderApprovalBody({ sha: SHA, mainBranch: 'main', label: 'risky', reasons, markdown, runUrl: RUN_URL }));
  });

  it('the job summary as written', async () => {
    const written: string[] = [];
    await writeJobSummary({ jobSummary: { write: async (text) => void written.push(text) }, redactor: new Redactor(), logger: silentLogger }, markdown, RUN_URL);
    expect(written).toHaveLength(1);
    expectInert(written[0]!);
  });
});
