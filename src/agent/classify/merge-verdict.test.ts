// Unit tests of the merge policy: never downgrade, drop invented evidence, no answer -> unreviewed
// or risky when review is required.
import { describe, expect, it } from 'vitest';
import { SAMPLE_ANSWER } from '../../../test/fixtures/claude-cli/sample-answer.js';
import { sshdChange, storageChange } from '../../../test/fixtures/llm-classify.js';
import { LABELS } from '../../model/label.js';
import type { ClassifyAnswer } from './answer-schema.js';
import { buildEvidenceIndex } from './evidence-index.js';
import { mergeVerdicts } from './merge-verdict.js';
import { parseUnifiedDiff } from './parse-patch.js';

function setup(change = storageChange()) {
  return { ...change, index: buildEvidenceIndex(change.changeSet, change.rules, parseUnifiedDiff(change.patch)) };
}

const answer = (over: Partial<ClassifyAnswer>): ClassifyAnswer => ({ ...SAMPLE_ANSWER, ...over });

describe('mergeVerdicts', () => {
  it('never lets the LLM downgrade, whatever the labels', () => {
    for (const rulesLabel of LABELS)
      for (const llmLabel of LABELS) {
        const { rules, index } = setup();
        const merged = mergeVerdicts({ rules: { ...rules, label: rulesLabel }, answer: answer({ label: llmLabel, reasons: [] }), index, reviewRequired: false });
        expect(LABELS.indexOf(merged.verdict.label)).toBe(Math.max(LABELS.indexOf(rulesLabel), LABELS.indexOf(llmLabel)));
        expect(merged.verdict.reviewed).toBe(true);
      }
  });

  it('keeps risky when the LLM answers clean to a risky change, decided by the rules', () => {
    const { rules, index } = setup(sshdChange());
    const merged = mergeVerdicts({ rules, answer: answer({ label: 'clean', reasons: [] }), index, reviewRequired: false });
    expect(merged.verdict).toMatchObject({ label: 'risky', decidedBy: 'rules' });
    expect(merged.llmLabel).toBe('clean');
  });

  it('escalates with a verified reason and says the LLM decided', () => {
    const { rules, index } = setup();
    const reason = { label: 'risky' as const, message: 'exporter now reads NFS stats of a share that holds data', evidence: [{ host: 'web2', unit: 'node-exporter.service' }] };
    const merged = mergeVerdicts({ rules, answer: answer({ label: 'risky', reasons: [reason] }), index, reviewRequired: false });
    expect(merged.verdict).toMatchObject({ label: 'risky', decidedBy: 'llm' });
    expect(merged.unsupportedEscalation).toBe(false);
  });

  it('drops and flags reasons citing hosts, units, files, lines or rules that are not in the change', () => {
    const { rules, index } = setup();
    const invented = [
      { label: 'risky' as const, message: 'a', evidence: [{ host: 'db9' }] },
      { label: 'risky' as const, message: 'b', evidence: [{ host: 'web1', unit: 'postgresql.service' }] },
      { label: 'risky' as const, message: 'c', evidence: [{ file: 'modules/storage.nix', line: 200 }] },
      { label: 'risky' as const, message: 'd', evidence: [{ file: 'modules/db.nix' }] },
      { label: 'risky' as const, message: 'e', evidence: [{ ruleId: 'nixos.made-up' }] },
      { label: 'risky' as const, message: 'f', evidence: [{ job: 'postgres' }] },
      { label: 'risky' as const, message: 'g', evidence: [{}] },
    ];
    const valid = { label: 'needs-reboot' as const, message: 'ok', evidence: [{ ruleId: 'nixos.mount-options' }, { file: 'modules/storage.nix', line: 33 }] };
    const merged = mergeVerdicts({ rules, answer: answer({ label: 'needs-reboot', reasons: [...invented, valid] }), index, reviewRequired: false });
    expect(merged.answer?.reasons).toEqual([valid]);
    expect(merged.dropped.map((d) => d.problems[0])).toEqual([
      'host "db9" is not part of this change',
      'unit "postgresql.service" does not change on host "web1"',
      'modules/storage.nix:200 is not a changed line',
      'file "modules/db.nix" is not changed',
      'rule "nixos.made-up" did not fire',
      'job "postgres" is not part of this change',
      'cites nothing',
    ]);
    // Dropped risky reasons do not raise the label.
    expect(merged.verdict.label).toBe('needs-reboot');
  });

  it('keeps an escalation without verified reasons but flags it', () => {
    const { rules, index } = setup();
    const merged = mergeVerdicts({ rules, answer: answer({ label: 'risky', reasons: [{ label: 'risky', message: 'x', evidence: [{ host: 'ghost' }] }] }), index, reviewRequired: false });
    expect(merged.verdict.label).toBe('risky');
    expect(merged.unsupportedEscalation).toBe(true);
  });

  it('removes invented hosts from the blast radius and host order', () => {
    const { rules, index } = setup();
    const a = answer({ blastRadius: { ...SAMPLE_ANSWER.blastRadius, hosts: ['web1', 'ghost'] }, deployPlan: { ...SAMPLE_ANSWER.deployPlan, hostOrder: ['ghost', 'web2', 'web1'] } });
    const merged = mergeVerdicts({ rules, answer: a, index, reviewRequired: false });
    expect(merged.answer?.blastRadius.hosts).toEqual(['web1']);
    expect(merged.answer?.deployPlan.hostOrder).toEqual(['web2', 'web1']);
    expect(merged.droppedNames).toEqual(['host "ghost"', 'host "ghost"']);
  });

  it("leaves the rules' verdict unreviewed when there is no answer", () => {
    const { rules, index } = setup();
    const merged = mergeVerdicts({ rules, answer: null, index, reviewRequired: false });
    expect(merged.verdict).toEqual({ label: 'needs-reboot', decidedBy: 'rules', reviewed: false, rules });
    expect(merged.decidedBy).toBe('rules');
  });

  it('escalates to risky when there is no answer and review is required', () => {
    const { rules, index } = setup();
    const merged = mergeVerdicts({ rules, answer: null, index, reviewRequired: true });
    expect(merged.verdict).toMatchObject({ label: 'risky', reviewed: false, decidedBy: 'review-required' });
    expect(merged.decidedBy).toBe('review-required');
  });
});
