// Evidence cited by a reason, and the reason itself: every verdict points at something checkable.
import { z } from 'zod';
import { Label } from './label.js';

export const Evidence = z
  .object({
    host: z.string().optional(),
    unit: z.string().optional(),
    job: z.string().optional(),
    file: z.string().optional(),
    line: z.number().int().positive().optional(),
    /** A named build-level signal, e.g. `kernel`, `fstab`, `reboot-triggers.kernel`. */
    signal: z.string().optional(),
    /** The concrete observation, e.g. `6.6.30 -> 6.12.8`. */
    detail: z.string().optional(),
  })
  .strict();
export type Evidence = z.infer<typeof Evidence>;

export const Reason = z
  .object({
    ruleId: z.string(),
    label: Label,
    message: z.string(),
    evidence: z.array(Evidence),
  })
  .strict();
export type Reason = z.infer<typeof Reason>;

/** `host nas, unit sshd.service, hosts/nas.nix:12` — the one-line citation used in reports and prompts. */
export function formatEvidence(e: Evidence): string {
  const parts: string[] = [];
  if (e.host) parts.push(`host ${e.host}`);
  if (e.job) parts.push(`job ${e.job}`);
  if (e.unit) parts.push(`unit ${e.unit}`);
  if (e.file) parts.push(e.line ? `${e.file}:${e.line}` : e.file);
  if (e.signal) parts.push(e.signal);
  if (e.detail) parts.push(e.detail);
  return parts.join(', ');
}
