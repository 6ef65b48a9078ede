import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildConfigJsonSchema } from './json-schema.js';

describe('the committed JSON Schema', () => {
  it('matches the zod schema (regenerate with `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/steward.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(buildConfigJsonSchema());
  });
});
