// Deploy diagnoses' knowledge suggestions in the knowledge PR: the entry file is the suggestion as
// the diagnosis parser reads it back, newest suggestion of a topic wins, and a topic the
// repository already holds is never overwritten (a person may have edited the pattern).
import { describe, expect, it } from 'vitest';
import type { DiagnosisDecision } from '../../model/deploy-failure.js';
import { lookupSignature, parseFailureMappings } from '../../stages/diagnose/knowledge-mappings.js';
import { suggestKnowledgeEntry } from '../../stages/diagnose/suggest-knowledge.js';
import { planKnowledgeProposal } from './knowledge-proposal.js';
import { learnedFromSuggestions } from './knowledge-suggestions.js';

const resolved = (detail: string): DiagnosisDecision => ({
  failure: { signature: 'switch.units-failed', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 'units failed on nas', evidence: [{ host: 'nas', unit: 'zfs-import-tank.service', signal: 'journal', detail }], dependsOn: [] },
  signature: 'switch.units-failed',
  proposed: 'retry-after-wait',
  chosenBy: 'llm',
  why: 'the pool was still busy from the scrub',
  knownSignature: false,
  strategy: 'retry-after-wait',
  outcome: 'verified',
  detail: 'retried after 60 s; verified',
});
const suggestion = (id: number, sha: string, detail: string) => {
  const draft = suggestKnowledgeEntry(resolved(detail), sha)!;
  return { id, sha, signature: draft.signature, strategy: draft.strategy, body: draft.body, at: '2026-12-04T17:00:00.000Z' };
};

describe('learnedFromSuggestions', () => {
  const newest = suggestion(2, 'c'.repeat(40), "Jun 03 02:14:07 nas zpool[812]: cannot import 'tank': pool is busy");
  const older = suggestion(1, 'd'.repeat(40), 'Jun 02 01:00:00 nas zpool[700]: something else entirely');

  it('proposes the newest suggestion of a topic as a knowledge file the diagnosis reads back', () => {
    const proposal = planKnowledgeProposal(learnedFromSuggestions([newest, older]), new Map());
    expect(proposal).toMatchObject({ kind: 'knowledge', topic: 'knowledge', title: 'Knowledge: nas-activation' });
    expect(proposal!.edits).toHaveLength(1);
    const [edit] = proposal!.edits;
    expect(edit!.path).toBe('.steward/knowledge/nas-activation.md');
    expect(edit!.content).toContain('<!-- learned by Steward in deploy diagnosis of cccccccccccc -->');
    const { mappings, problems } = parseFailureMappings([{ source: edit!.path, text: edit!.content }]);
    expect(problems).toEqual([]);
    expect(lookupSignature(resolved("Jun 09 03:00:00 nas zpool[9]: cannot import 'tank': pool is busy").failure, mappings, []).mapping?.strategy).toBe('retry-after-wait');
  });

  it('never overwrites a topic the repository already holds, unlike a session entry', () => {
    const learned = learnedFromSuggestions([newest]);
    expect(planKnowledgeProposal(learned, new Map([['.steward/knowledge/nas-activation.md', '# edited by a person\n']]))).toBeNull();
    expect(planKnowledgeProposal(learned.map((l) => ({ ...l, onlyIfNew: false })), new Map([['.steward/knowledge/nas-activation.md', '# edited by a person\n']]))).not.toBeNull();
  });

  it('skips a row that is not a repository signature with a titled body', () => {
    expect(learnedFromSuggestions([{ ...newest, signature: 'switch.units-failed' }, { ...newest, body: 'no title' }])).toEqual([]);
  });
});
