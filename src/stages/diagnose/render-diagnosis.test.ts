import { describe, expect, it } from 'vitest';
import type { DiagnosisDecision } from '../../model/deploy-failure.js';
import { lookupSignature, parseFailureMappings } from './knowledge-mappings.js';
import { renderDiagnosisLine, renderDiagnosisMarkdown } from './render-diagnosis.js';
import { suggestKnowledgeEntry } from './suggest-knowledge.js';

const SHA = 'b'.repeat(40);
const decision = (over: Partial<DiagnosisDecision> = {}): DiagnosisDecision => ({
  failure: { signature: 'mount.remount-refused', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 'units failed on nas (mnt-media.mount): a mount could not be changed while mounted', evidence: [{ host: 'nas', unit: 'mnt-media.mount', signal: 'journal', detail: 'mount.nfs: /mnt/media is busy or already mounted' }], dependsOn: [] },
  signature: 'mount.remount-refused',
  proposed: 'boot-and-reboot',
  chosenBy: 'knowledge',
  why: 'a fresh mount at boot applies the options',
  source: 'goals/knowledge/failures/mount-remount-refused.md',
  knownSignature: true,
  strategy: 'boot-and-reboot',
  outcome: 'verified',
  detail: 'rebooted into the new generation; verified',
  ...over,
});

describe('renderDiagnosis', () => {
  it('says in one line what failed, what ran, who chose and how it ended', () => {
    expect(renderDiagnosisLine(decision())).toBe('diagnosis host nas: mount.remount-refused -> boot-and-reboot [knowledge]: verified, rebooted into the new generation; verified');
    expect(renderDiagnosisLine(decision({ chosenBy: 'llm', strategy: 'rollback-and-escalate', refused: 'outside the reboot window', outcome: 'escalated', detail: '' }))).toBe(
      'diagnosis host nas: mount.remount-refused -> rollback-and-escalate (boot-and-reboot refused: outside the reboot window) [Claude Code]: escalated',
    );
  });

  it('renders what a host or the model wrote as text, never as markdown', () => {
    const hostile = decision({ why: '<img src=x> @octo-org/admins [click](javascript:alert(1))', failure: { ...decision().failure, evidence: [{ host: 'nas', detail: '```\n# injected heading' }] } });
    const md = renderDiagnosisMarkdown([hostile]).join('\n');
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/@octo-org/);
    expect(md).not.toMatch(/^# injected/m);
    expect(md).toContain('Outcome: **verified**');
  });
});

describe('suggestKnowledgeEntry', () => {
  const unknown = decision({ signature: 'switch.units-failed', chosenBy: 'llm', failure: { ...decision().failure, signature: 'switch.units-failed', evidence: [{ host: 'nas', unit: 'zfs-import-tank.service', signal: 'journal', detail: "Jun 03 02:14:07 nas zpool[812]: cannot import 'tank': pool is busy" }] }, strategy: 'retry-after-wait', proposed: 'retry-after-wait', knownSignature: false });
  delete unknown.source;

  it('suggests an entry for an unknown failure a strategy resolved, which the knowledge parser reads back and matches', () => {
    const draft = suggestKnowledgeEntry(unknown, SHA);
    expect(draft).toMatchObject({ signature: 'repo.nas-activation', strategy: 'retry-after-wait', file: '.steward/knowledge/nas-activation.md' });
    const { mappings, problems } = parseFailureMappings([{ source: draft!.file, text: draft!.body }]);
    expect(problems).toEqual([]);
    expect(lookupSignature(unknown.failure, mappings, []).mapping?.strategy).toBe('retry-after-wait');
  });

  it('suggests nothing for a known signature, an escalation, or a strategy that did not verify', () => {
    expect(suggestKnowledgeEntry(decision(), SHA)).toBeNull();
    expect(suggestKnowledgeEntry({ ...unknown, outcome: 'failed' }, SHA)).toBeNull();
    expect(suggestKnowledgeEntry({ ...unknown, strategy: 'rollback-and-escalate' }, SHA)).toBeNull();
  });
});
