// `steward history --diagnoses`: every diagnosed deploy failure (signature, evidence, strategy,
// who chose, what the validator said, how it ended) and the knowledge suggestions learned.
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import { formatEvidence } from '../model/evidence.js';
import { renderDiagnosisLine } from '../stages/diagnose/render-diagnosis.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';

export function diagnosisHistory(ctx: CliContext, stateFile: string, flags: { limit: number; json?: boolean }): ExitCode {
  const store = new SqliteDiagnosisStore({ file: stateFile });
  try {
    const rows = store.diagnoses({ limit: flags.limit });
    const suggestions = store.knowledgeSuggestions(flags.limit);
    if (flags.json) {
      ctx.out(JSON.stringify({ schema: 'steward.diagnoses/v1', diagnoses: rows, suggestions }, null, 2));
      return ExitCode.ok;
    }
    const lines: string[] = rows.length ? [] : ['no deploy failure was diagnosed yet'];
    for (const row of rows) {
      lines.push(`${row.at}  ${row.sha.slice(0, 12)}  ${renderDiagnosisLine(row.decision)}`);
      for (const e of row.decision.failure.evidence.slice(0, 6)) lines.push(`    ${formatEvidence(e)}`);
    }
    for (const s of suggestions) lines.push('', `knowledge suggestion (${s.sha.slice(0, 12)}, ${s.signature} -> ${s.strategy}):`, s.body.trimEnd());
    ctx.out(lines.join('\n'));
    return ExitCode.ok;
  } finally {
    store.close();
  }
}
