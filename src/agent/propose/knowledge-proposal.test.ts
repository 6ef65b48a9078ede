// Knowledge PRs: one proposal for every new topic, the newest entry of a topic winning, topics the
// base already holds skipped, and the model's text kept out of the PR body's markdown.
import { describe, expect, it } from 'vitest';
import { planKnowledgeProposal, renderKnowledgeFile } from './knowledge-proposal.js';

const entry = (topic: string, title: string, body = 'Restart after the NFS mount is back.') => ({ entry: { topic, title, body }, sessionId: `s-${topic}-${title.length}` });

describe('planKnowledgeProposal', () => {
  it('writes one file per topic, the newest entry winning', () => {
    const proposal = planKnowledgeProposal([entry('nas-restic', 'Newest'), entry('nas-restic', 'Older'), entry('grafana-lock', 'SQLite lock')], new Map());
    expect(proposal).toMatchObject({ kind: 'knowledge', topic: 'knowledge', title: 'Knowledge: grafana-lock, nas-restic' });
    expect(proposal!.edits.map((e) => e.path)).toEqual(['.steward/knowledge/grafana-lock.md', '.steward/knowledge/nas-restic.md']);
    expect(proposal!.edits[1]!.content).toContain('# Newest');
  });

  it('skips a topic the base already holds with the same text', () => {
    const known = new Map([['.steward/knowledge/nas-restic.md', renderKnowledgeFile(entry('nas-restic', 'Same').entry, 'earlier-session')]]);
    expect(planKnowledgeProposal([entry('nas-restic', 'Same')], known)).toBeNull();
    expect(planKnowledgeProposal([entry('nas-restic', 'Changed')], known)!.rationale).toContain('(updated)');
  });

  it('escapes the model-written title in the PR body', () => {
    const proposal = planKnowledgeProposal([entry('x', '[pwn](https://evil.example) @admins')], new Map());
    expect(proposal!.rationale).not.toContain('[pwn](');
    expect(proposal!.rationale).toContain('@&#8203;admins');
  });
});
