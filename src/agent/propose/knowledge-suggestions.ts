// Learning from deploys (pure): knowledge suggestions the diagnosis recorded (an unknown failure a
// strategy resolved, see stages/diagnose/suggest-knowledge) become entries of the same knowledge
// PR as what agent sessions learned. The suggestion body is already the knowledge markdown the
// diagnosis parser reads back; its first line is the title.
import { KnowledgeEntry } from '../../model/agent-session.js';
import type { KnowledgeSuggestion } from '../../ports/diagnosis-store.js';
import type { LearnedEntry } from './knowledge-proposal.js';

/** `suggestions` newest first; a malformed row is skipped rather than proposed. */
export function learnedFromSuggestions(suggestions: KnowledgeSuggestion[]): LearnedEntry[] {
  const learned: LearnedEntry[] = [];
  for (const s of suggestions) {
    const [first = '', ...rest] = s.body.replace(/\r\n?/g, '\n').trim().split('\n');
    const title = /^#\s+(.+)$/.exec(first)?.[1]?.trim();
    const topic = /^repo\.(.+)$/.exec(s.signature)?.[1];
    const parsed = KnowledgeEntry.safeParse({ topic, title, body: rest.join('\n').trim() });
    // Only a topic the repository does not hold yet: a person may have edited the pattern when
    // merging an earlier suggestion, and a later one must not revert that edit.
    if (parsed.success) learned.push({ entry: parsed.data, sessionId: `deploy diagnosis of ${s.sha.slice(0, 12)}`, onlyIfNew: true });
  }
  return learned;
}
