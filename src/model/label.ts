// The three change labels and their order of severity (CLASSIFICATION.md).
import { z } from 'zod';

export const LABELS = ['clean', 'needs-reboot', 'risky'] as const;
export const Label = z.enum(LABELS);
export type Label = z.infer<typeof Label>;

export function severity(label: Label): number {
  return LABELS.indexOf(label);
}

/** The more severe of the labels; `clean` for none. */
export function mostSevere(...labels: Label[]): Label {
  let worst: Label = 'clean';
  for (const label of labels) if (severity(label) > severity(worst)) worst = label;
  return worst;
}
