// Failure signatures -> strategies, as knowledge documents state them (pure). A document holds
// any number of fenced `steward-failure` blocks in YAML:
//
//   ```steward-failure
//   signature: mount.remount-refused
//   strategy: boot-and-reboot
//   why: NFS and CIFS keep their old options on a live remount; a fresh mount at boot applies them.
//   ```
//
// A repository may define its own signature (`repo.<topic>`) with `match`, a regular expression
// tried on the evidence of a failure Steward could not name more precisely. The repository's
// `.steward/knowledge/` (main's committed tree) wins over Steward's own `goals/knowledge/failures/`.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BUILTIN_SIGNATURES, FailureStep, SignatureId, Strategy, type DeployFailure } from '../../model/deploy-failure.js';
import { formatEvidence } from '../../model/evidence.js';

const BUILTIN = new Set<string>(BUILTIN_SIGNATURES);

export const FailureMapping = z
  .object({
    signature: SignatureId,
    strategy: Strategy,
    why: z.string().min(1).max(1000),
    /** Custom signatures only: a regular expression tried on the failure's evidence lines. */
    match: z
      .string()
      .min(1)
      .max(300)
      .refine((s) => isRegExp(s), 'must be a valid regular expression')
      .optional(),
    /** Custom signatures only: the step it applies to. */
    step: FailureStep.optional(),
    /** retry-after-wait: how long to wait before the one retry. */
    waitSeconds: z.number().int().min(1).max(1800).optional(),
  })
  .strict()
  .refine((m) => (BUILTIN.has(m.signature) ? m.match === undefined : m.match !== undefined), {
    message: 'a built-in signature is recognised by Steward (no `match`); a custom one needs `match`',
  });
export type FailureMapping = z.infer<typeof FailureMapping> & { source: string };

/** Signatures that only say which step failed: a custom signature may name them more precisely. */
const GENERIC = new Set<string>(['unknown', 'switch.units-failed', 'switch.pre-switch-failed', 'switch.activation-script-failed', 'switch.timeout', 'verification.failed', 'invariant.failed', 'nomad.deployment-failed']);

const BLOCK = /^```steward-failure[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;

/** Every mapping block of the documents, in their order, and every block that is not valid. */
export function parseFailureMappings(docs: Array<{ source: string; text: string }>): { mappings: FailureMapping[]; problems: string[] } {
  const mappings: FailureMapping[] = [];
  const problems: string[] = [];
  for (const doc of docs) {
    let n = 0;
    for (const block of doc.text.matchAll(BLOCK)) {
      n += 1;
      const where = `${doc.source} (steward-failure block ${n})`;
      let raw: unknown;
      try {
        raw = parseYaml(block[1] ?? '');
      } catch (error) {
        problems.push(`${where}: not YAML: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      const parsed = FailureMapping.safeParse(raw);
      if (parsed.success) mappings.push({ ...parsed.data, source: doc.source });
      else problems.push(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'block'}: ${i.message}`).join('; ')}`);
    }
  }
  return { mappings, problems };
}

export interface SignatureLookup {
  /** The signature after custom matching (a `repo.*` one when a custom block matched). */
  signature: string;
  /** The mapping that applies, or null: no knowledge for this signature. */
  mapping: FailureMapping | null;
}

/**
 * The mapping for a failure. `repo` mappings come before Steward's own: for the same signature the
 * repository's word counts. A custom signature only refines a generic one, never a precise one.
 */
export function lookupSignature(failure: DeployFailure, repo: FailureMapping[], steward: FailureMapping[]): SignatureLookup {
  const ordered = [...repo, ...steward];
  if (GENERIC.has(failure.signature)) {
    const lines = [failure.summary, ...failure.evidence.map(formatEvidence)];
    const custom = ordered.find((m) => m.match && (!m.step || m.step === failure.step) && lines.some((l) => new RegExp(m.match as string, 'i').test(l)));
    if (custom) return { signature: custom.signature, mapping: custom };
  }
  return { signature: failure.signature, mapping: ordered.find((m) => !m.match && m.signature === failure.signature) ?? null };
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}
