// HCL2 variables and locals: resolved from the file when it can, otherwise kept and reported.
import { describe, expect, it } from 'vitest';
import { buildScope, findInterpolations, isRuntimeInterpolation, isUnresolved, resolveValue } from './hcl-expressions.js';

describe('isUnresolved', () => {
  it('treats Nomad runtime interpolations as resolved text', () => {
    for (const v of ['${attr.kernel.name}', '${NOMAD_PORT_http}', '${node.unique.name}', '${meta.zwave}', 'x-${NOMAD_ALLOC_INDEX}', '$${var.escaped}']) {
      expect(isUnresolved(v), v).toBe(false);
    }
  });

  it('flags HCL2 variables, locals, functions and directives', () => {
    for (const v of ['${var.image}', '${local.x}', '${upper("a")}', '${3 + 4}', '%{ if true }x%{ endif }', 'a-${var.b}-c']) {
      expect(isUnresolved(v), v).toBe(true);
    }
  });

  it('ignores non-strings', () => {
    expect(isUnresolved(3)).toBe(false);
  });
});

describe('findInterpolations', () => {
  it('matches nested braces and quoted strings inside an interpolation', () => {
    expect(findInterpolations('a ${lookup({k = "}"}, "k")} b')).toEqual([{ start: 2, end: 27, expr: 'lookup({k = "}"}, "k")' }]);
  });

  it('reads a directive as an interpolation without expression', () => {
    expect(findInterpolations('%{ if x }y%{ endif }')[0]!.expr).toBeNull();
  });
});

describe('isRuntimeInterpolation', () => {
  it('accepts index traversals and rejects HCL roots', () => {
    expect(isRuntimeInterpolation('meta["rack"]')).toBe(true);
    expect(isRuntimeInterpolation('var.x')).toBe(false);
    expect(isRuntimeInterpolation('each.value')).toBe(false);
  });
});

describe('resolveValue', () => {
  const scope = buildScope({
    variable: { image: [{ default: 'nginx:1.27' }], replicas: [{ default: 3 }], dcs: [{ default: ['home', 'lab'] }], secret: [{ type: '${string}' }] },
    locals: [{ tag: '${var.image}-x', plain: 'hello', chained: '${local.plain}!' }],
  });

  it('substitutes a literal default with its type when the value is the whole expression', () => {
    const r = resolveValue({ count: '${var.replicas}', datacenters: '${var.dcs}' }, scope, 'job');
    expect(r.value).toEqual({ count: 3, datacenters: ['home', 'lab'] });
    expect([...r.defaultsUsed].sort()).toEqual(['dcs', 'replicas']);
    expect(r.unresolved).toEqual([]);
  });

  it('substitutes inside a template string and resolves chained locals', () => {
    const r = resolveValue({ a: 'img=${var.image}', b: '${local.chained}', c: '${local.tag}' }, scope, '');
    expect(r.value).toEqual({ a: 'img=nginx:1.27', b: 'hello!', c: 'nginx:1.27-x' });
    expect(r.defaultsUsed.has('image')).toBe(true);
  });

  it('keeps a variable without default as written and reports its path', () => {
    const r = resolveValue({ group: { g: [{ task: { t: [{ config: [{ image: '${var.secret}' }] }] } }] } }, scope, '');
    expect(r.unresolved).toEqual([{ path: 'group.g.task.t.config.image', expression: '${var.secret}' }]);
    expect(JSON.stringify(r.value)).toContain('${var.secret}');
  });

  it('keeps functions and list elements as written, with the element index', () => {
    const r = resolveValue({ datacenters: ['home', '${var.other}'], x: '${upper("a")}' }, scope, '');
    expect(r.unresolved.map((u) => u.path)).toEqual(['datacenters[1]', 'x']);
  });

  it('reports only the expressions of a value, never the text around them', () => {
    const r = resolveValue({ url: 'postgres://app:hunter2@${var.dbhost}/app' }, scope, '');
    expect(r.unresolved).toEqual([{ path: 'url', expression: '${var.dbhost}' }]);
  });

  it('reports a dynamic block as unresolved', () => {
    const r = resolveValue({ dynamic: { group: [{ for_each: '${var.groups}', content: [{}] }] } }, scope, '');
    expect(r.unresolved.map((u) => u.expression)).toContain('dynamic "group" block');
  });

  it('leaves runtime interpolations alone and does not report them', () => {
    const r = resolveValue({ attribute: '${attr.kernel.name}', port: 'p-${NOMAD_PORT_http}' }, scope, '');
    expect(r.value).toEqual({ attribute: '${attr.kernel.name}', port: 'p-${NOMAD_PORT_http}' });
    expect(r.unresolved).toEqual([]);
  });
});
