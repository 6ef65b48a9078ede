import { describe, expect, it } from 'vitest';
import { foldLongSections } from './fold.js';
import { fitBytes, fitLine, fitMarkdown, fitText } from './limits.js';

describe('fitMarkdown', () => {
  it('returns text that fits unchanged', () => {
    expect(fitMarkdown('short', 100)).toBe('short');
  });

  it('cuts at a line boundary, appends the note, and stays within the limit', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const out = fitMarkdown(text, 1000, '\n[cut]');
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.endsWith('\n[cut]')).toBe(true);
    expect(out.split('\n').slice(0, -1).every((l) => /^line \d+$/.test(l))).toBe(true);
  });

  it('closes a <details> fold and a code fence that the cut left open', () => {
    const text = ['<details><summary>units</summary>', '', '```', ...Array.from({ length: 400 }, (_, i) => `unit-${i}`), '```', '', '</details>'].join('\n');
    const out = fitMarkdown(text, 800, '\n[cut]');
    expect(out.length).toBeLessThanOrEqual(800);
    expect(out).toMatch(/unit-\d+\n```\n\n<\/details>\n\[cut\]$/);
  });

  it('ignores <details> written inside a code fence', () => {
    const text = ['```html', '<details>', '```', ...Array.from({ length: 300 }, () => 'x'.repeat(20))].join('\n');
    expect(fitMarkdown(text, 500, '')).not.toContain('</details>');
  });

  it('measures bytes for the job summary, so multi-byte text still fits', () => {
    const text = '✅ verified\n'.repeat(200_000);
    const out = fitBytes(text, 1024 * 1024, '\n[cut]');
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1024 * 1024);
    expect(out.length).toBeLessThan(text.length);
  });
});

describe('fitLine and fitText', () => {
  it('flattens and cuts a one-line description to 140 characters', () => {
    const out = fitLine(`a\nb ${'x'.repeat(300)}`, 140);
    expect(out).toHaveLength(140);
    expect(out.startsWith('a b x')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const out = fitText('😀'.repeat(10), 6);
    expect(out).toBe('😀😀…');
  });
});

describe('foldLongSections', () => {
  it('folds a long section under its heading and keeps short ones open', () => {
    const md = ['# Report', 'verdict', '', '## Short', 'one line', '', '## Units', ...Array.from({ length: 40 }, (_, i) => `- u${i}`), ''].join('\n');
    const out = foldLongSections(md, { maxLines: 25 });
    expect(out).toContain('## Short\none line');
    expect(out).toContain('## Units\n\n<details><summary>Units (40 lines)</summary>\n\n- u0');
    expect(out.indexOf('</details>')).toBeGreaterThan(out.indexOf('- u39'));
  });

  it('does not treat a heading inside a code fence as a section', () => {
    const md = ['## Log', '```', ...Array.from({ length: 30 }, () => '## not a heading'), '```'].join('\n');
    const out = foldLongSections(md, { maxLines: 25 });
    expect(out.match(/<details>/g)).toHaveLength(1);
  });
});
