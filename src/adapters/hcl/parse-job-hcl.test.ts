// The HCL adapter against the real hcl2json WASM parser: bodies, and located errors as values.
import { describe, expect, it } from 'vitest';
import { parseHclErrorMessage, parseJobHcl } from './parse-job-hcl.js';

describe('parseJobHcl', () => {
  it('returns the body and an outline when the HCL is valid', async () => {
    const r = await parseJobHcl('jobs/web.nomad', 'job "web" {\n  type = "service"\n  group "g" {\n    count = 2\n  }\n}\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body).toEqual({ job: { web: [{ type: 'service', group: { g: [{ count: 2 }] } }] } });
    expect(r.outline[0]).toMatchObject({ type: 'job', labels: ['web'], line: 1 });
  });

  it('reports a syntax error with the real file name, line and column', async () => {
    const r = await parseJobHcl('jobs/broken job.nomad', 'job "x" {\n  group "g" {\n    count = \n  }\n}\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'jobs/broken job.nomad', line: 3, column: 13 });
    expect(r.errors[0]!.message).toMatch(/^Invalid expression/);
  });

  it('reports every error when there are several', async () => {
    const r = await parseJobHcl('a.nomad', 'job "x" {\n  a = "unterminated\n}\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(1);
    expect(r.errors.map((e) => e.line)).toContain(2);
  });

  it('names the real file when an error message cites another position', async () => {
    const r = await parseJobHcl('dup.nomad', 'job "x" {\n  a = 1\n  a = 2\n}\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ line: 3, column: 3 });
    expect(r.errors[0]!.message).toContain('already set at dup.nomad:2,3-4');
  });

  it('parses identical content once, and still names each file in its errors', async () => {
    const a = await parseJobHcl('a.nomad', 'job "same" {\n  type = "batch"\n}\n');
    const b = await parseJobHcl('b.nomad', 'job "same" {\n  type = "batch"\n}\n');
    expect(a.ok && b.ok && a.body === b.body).toBe(true);
    const bad = 'job "x" {\n  a = 1\n  a = 2\n}\n';
    const e1 = await parseJobHcl('one.nomad', bad);
    const e2 = await parseJobHcl('two.nomad', bad);
    expect(!e1.ok && e1.errors[0]!.message).toContain('one.nomad:2');
    expect(!e2.ok && e2.errors[0]).toMatchObject({ file: 'two.nomad', line: 3 });
    expect(!e2.ok && e2.errors[0]!.message).toContain('two.nomad:2');
  });

  it('parses an empty file into an empty body', async () => {
    const r = await parseJobHcl('empty.nomad', '');
    expect(r).toMatchObject({ ok: true, body: {} });
  });
});

describe('parseHclErrorMessage', () => {
  it('keeps a message without a position at line 1', () => {
    expect(parseHclErrorMessage('f.nomad', 'boom')).toEqual([{ file: 'f.nomad', line: 1, column: 1, message: 'boom' }]);
  });
});
