// Real-world suite (issue 10): 80 hand-labelled commits of two public NixOS repositories,
// classified at diff level. Prints the confusion matrix; fails below the floor of exact labels
// or above the ceiling of false-clean (a risky or reboot change that would deploy unasked).
// Raise FLOOR and lower CEILING as the diff-level analysis improves.
import { describe, expect, it } from 'vitest';
import { requireShared } from '../helpers/shared.js';
import { classifyCorpus, confusionMatrix, NIXOS_CORPUS, renderMatrix, renderMisses } from './nixos-corpus.js';

const EXACT_FLOOR = 76;
const FALSE_CLEAN_CEILING = 0;

const present = requireShared('the NixOS commit corpus suite', [`${NIXOS_CORPUS}commits.jsonl`]);

describe.skipIf(!present)('nixos corpus: labelled real commits at diff level', () => {
  it(`labels at least ${EXACT_FLOOR} commits exactly, with at most ${FALSE_CLEAN_CEILING} false-clean`, async () => {
    const outcomes = await classifyCorpus();
    const matrix = confusionMatrix(outcomes);
    console.log(`\nNixOS corpus at diff level:\n${renderMatrix(matrix)}\nmisses:\n${renderMisses(outcomes)}\n`);
    expect(matrix.total).toBe(80);
    expect(matrix.falseClean).toBeLessThanOrEqual(FALSE_CLEAN_CEILING);
    expect(matrix.exact).toBeGreaterThanOrEqual(EXACT_FLOOR);
  }, 900_000);
});
