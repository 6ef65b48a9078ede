// The Actions job summary and log masking through @actions/core. Only composition roots create
// these, and only when running inside GitHub Actions.
import * as core from '@actions/core';
import type { JobSummaryPort } from '../../ports/github.js';
import type { Redactor } from '../../redact.js';

/**
 * Writes the step's summary file ($GITHUB_STEP_SUMMARY, read by @actions/core). Each write
 * replaces the previous one: the step is Steward's, and appends could pass the 1 MiB limit.
 */
export function createActionsJobSummary(summary: Pick<typeof core.summary, 'addRaw'> = core.summary): JobSummaryPort {
  return {
    async write(markdown) {
      await summary.addRaw(markdown, true).write({ overwrite: true });
    },
  };
}

/**
 * Registers secrets with the redactor and masks them in the Actions log (`::add-mask::`), so a
 * value printed by any tool in the job shows as `***`. Empty values are skipped.
 */
export function maskSecrets(values: Array<string | undefined>, redactor: Redactor, setSecret: (value: string) => void = core.setSecret): number {
  let masked = 0;
  for (const value of values) {
    if (!value) continue;
    redactor.add(value);
    setSecret(value);
    masked++;
  }
  return masked;
}
