// Learning (pure): a failure that no knowledge document named, resolved by a strategy and
// verified, becomes a suggested knowledge entry for the repository's `.steward/knowledge/`: a
// custom signature matched on the evidence line that stood out, mapped to what worked.
import type { DiagnosisDecision } from '../../model/deploy-failure.js';

export interface KnowledgeSuggestionDraft {
  signature: string;
  strategy: string;
  /** `.steward/knowledge/<file>`. */
  file: string;
  body: string;
}

/** Null unless the signature was unknown, a strategy other than rollback ran, and it verified. */
export function suggestKnowledgeEntry(d: DiagnosisDecision, sha: string): KnowledgeSuggestionDraft | null {
  if (d.outcome !== 'verified' || d.strategy === 'rollback-and-escalate' || d.knownSignature) return null;
  const line = d.failure.evidence.map((e) => e.detail ?? '').find((l) => l.trim()) ?? d.failure.summary;
  const topic = slug(`${d.failure.target.name}-${d.failure.step}`);
  const signature = `repo.${topic}`;
  // The journal's timestamp and pid prefix change every time: match the message after it.
  const message = line.replace(/^\w{3} \d{2} [\d:]{8} \S+ [^:]+:\s*/, '').trim().slice(0, 120);
  const match = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const body = [
    `# ${d.failure.target.kind} ${d.failure.target.name}: ${d.failure.step} failure resolved by ${d.strategy}`,
    '',
    `Suggested by Steward after commit ${sha.slice(0, 12)}: the failure matched no known signature`,
    `(${d.signature}), and ${d.strategy} resolved it (${d.detail || 'verified'}).`,
    `Chosen because: ${d.why}`,
    '',
    'Review the pattern before merging: it should match this failure and nothing else.',
    '',
    '```steward-failure',
    `signature: ${signature}`,
    `step: ${d.failure.step}`,
    `match: ${yamlString(match)}`,
    `strategy: ${d.strategy}`,
    `why: ${yamlString(d.why.slice(0, 900))}`,
    '```',
    '',
  ].join('\n');
  return { signature, strategy: d.strategy, file: `.steward/knowledge/${topic}.md`, body };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'failure';
}
