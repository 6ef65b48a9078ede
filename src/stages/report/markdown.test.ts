import { describe, expect, it } from 'vitest';
import { codeSpans, findInjections, visibleText } from '../../../test/helpers/inert-markdown.js';
import { codeBlock, codeSpan, escapeMarkdown, tableCell } from './markdown.js';

const HOSTILE = [
  '@octo-org/admins',
  'a `b` ``c``',
  '<img src=x onerror=alert(1)>',
  '[INJECTED](javascript:alert(1))',
  '[INJECTED](https://evil.example/x)',
  '![INJECTED](https://evil.example/x.png)',
  'web\n# INJECTED heading',
  '**INJECTED** _INJECTED_ ~~INJECTED~~',
  '&#64;octo-org/admins &lt;b&gt;',
  'see https://evil.example and www.evil.example',
  '<!-- steward:sticky -->',
  '- INJECTED list',
  '1. INJECTED',
  '> quote',
  'a | b',
];

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('renders %j as inert text', (name) => {
    const markdown = `- job ${escapeMarkdown(name)}\n\n${escapeMarkdown(name)}\n\n#### ${escapeMarkdown(name)}`;
    expect(findInjections(markdown)).toEqual([]);
    expect(visibleText(markdown)).toContain(name.replace(/\n/g, ' '));
  });

  it('defuses a team mention with a zero-width space, as GitHub-generated text does', () => {
    expect(escapeMarkdown('@octo-org/admins')).toBe('@&#8203;octo-org/admins');
  });

  it('keeps ordinary names readable', () => {
    expect(escapeMarkdown('sshd.service on nas-01: 6.6.66 -> 6.12.6 (my_job)')).toBe('sshd.service on nas-01: 6.6.66 -> 6.12.6 (my_job)');
  });
});

describe('codeSpan', () => {
  it.each(HOSTILE)('keeps %j whole inside one code span', (name) => {
    const markdown = `- file ${codeSpan(name)} changed`;
    expect(findInjections(markdown)).toEqual([]);
    expect(codeSpans(markdown)).toEqual([name.replace(/\n/g, ' ')]);
  });

  it('survives backticks at either end', () => {
    expect(codeSpans(codeSpan('`x`'))).toEqual(['`x`']);
    expect(codeSpan('a `b` c')).toBe('``a `b` c``');
  });
});

describe('tableCell', () => {
  it('keeps a pipe in a name inside its cell, in prose and in a code span', () => {
    const markdown = ['| a | b |', '|---|---|', `| ${tableCell(escapeMarkdown('x | y'))} | ${tableCell(codeSpan('p|q'))} |`].join('\n');
    expect(visibleText(markdown)).toContain('x | y');
    expect(codeSpans(markdown)).toEqual(['p|q']);
  });
});

describe('codeBlock', () => {
  it('cannot be closed by a fence inside the lines', () => {
    const markdown = [...codeBlock(['error:', '```', '# INJECTED', '````']), '', 'after'].join('\n');
    expect(findInjections(markdown)).toEqual([]);
    expect(markdown.split('\n')[0]).toBe('`````');
  });
});
