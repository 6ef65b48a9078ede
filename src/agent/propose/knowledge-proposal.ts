// Knowledge PRs (pure): what agent sessions learned (their answers' knowledge entries) becomes
// `.steward/knowledge/<topic>.md` in one PR at a time (topic `knowledge`, updated in place),
// deduplicated by topic: the newest entry of a topic wins, and one the base already holds is skipped.
import type { KnowledgeEntry } from '../../model/agent-session.js';
import { codeSpan, escapeMarkdown } from '../../stages/report/markdown.js';
import type { Proposal } from './proposal.js';

export const KNOWLEDGE_DIR = '.steward/knowledge';
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The file a knowledge entry becomes (model text: control and bidi characters removed). */
export function renderKnowledgeFile(entry: KnowledgeEntry, learnedIn: string): string {
  const clean = (text: string) => text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '').trim();
  return `# ${clean(entry.title).replace(/\n+/g, ' ')}\n\n${clean(entry.body)}\n\n<!-- learned by Steward in ${learnedIn} -->\n`;
}

export interface LearnedEntry {
  entry: KnowledgeEntry;
  sessionId: string;
  /** Propose only when the base has no file for the topic (a suggestion never overwrites). */
  onlyIfNew?: boolean;
}

/** `learned` newest first; `existing` maps a repository path to its content at the base. */
export function planKnowledgeProposal(learned: LearnedEntry[], existing: Map<string, string | null>): Proposal | null {
  const byTopic = new Map<string, LearnedEntry>();
  for (const item of learned) if (!byTopic.has(item.entry.topic)) byTopic.set(item.entry.topic, item);
  const edits: Proposal['edits'] = [];
  const topics: { topic: string; title: string; updated: boolean }[] = [];
  for (const [topic, { entry, sessionId, onlyIfNew }] of [...byTopic].sort(([a], [b]) => a.localeCompare(b))) {
    const file = `${KNOWLEDGE_DIR}/${topic}.md`;
    const before = existing.get(file) ?? null;
    if (before !== null && onlyIfNew) continue;
    // The same knowledge already committed (whatever session learned it): nothing to propose.
    if (before !== null && before.replace(/<!--[^]*?-->\s*$/, '').trim() === renderKnowledgeFile(entry, '').replace(/<!--[^]*?-->\s*$/, '').trim()) continue;
    edits.push({ path: file, content: renderKnowledgeFile(entry, onlyIfNew ? sessionId : `session ${sessionId}`) });
    topics.push({ topic, title: entry.title, updated: before !== null });
  }
  if (edits.length === 0) return null;
  const list = topics.map((t) => `- ${codeSpan(t.topic)} (${t.updated ? 'updated' : 'new'}): ${escapeMarkdown(t.title)}`).join('\n');
  return {
    kind: 'knowledge',
    topic: 'knowledge',
    title: `Knowledge: ${topics.map((t) => t.topic).join(', ')}`.slice(0, 120),
    rationale: `Agent sessions or deploy diagnoses learned something the repository does not say yet. Later sessions and the classifier's prompt read \`${KNOWLEDGE_DIR}/\`; merging this PR teaches them. Read each entry: it is the model's wording, or a pattern Steward drew from one failure.\n\n${list}`,
    edits,
    versionChanges: [],
  };
}
