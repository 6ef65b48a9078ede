// The escalation body reaches GitHub issues and ntfy: text the model or an alert wrote is escaped.
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../ports/session-runner.js';
import { renderEscalation } from './render-answer.js';

const hostile = '@octo-org/admins [x](javascript:alert(1)) <img src=x>\n# heading';

function record(): SessionRecord {
  return {
    id: 's-1',
    trigger: { kind: 'check' } as SessionRecord['trigger'],
    goal: 'health-check',
    mode: 'rules-only',
    startedAt: '2026-12-04T00:00:00Z',
    finishedAt: '2026-12-04T00:00:01Z',
    answer: {
      summary: hostile,
      findings: [{ title: hostile, detail: hostile, severity: 'warning', evidence: [{ source: 'host', ref: 'nas:`x`.service' }] }],
      confidence: 'low',
      escalate: { needed: true, reason: hostile },
      actionsRequested: [],
      knowledge: [],
    },
    actions: [{ id: 1, action: 'restart-unit', target: 'a`b', status: 'refused', detail: hostile }],
    escalated: true,
    notifications: [],
    stats: { contextTokens: 1, turns: null, toolCalls: 0, costUsd: null, durationMs: 1 },
  };
}

describe('renderEscalation', () => {
  it('escapes every text it did not write: no mention, link, HTML or heading', () => {
    const body = renderEscalation(record(), null);
    expect(body).not.toMatch(/@octo-org/);
    expect(body).not.toMatch(/[^\\]\]\(javascript:/); // present only escaped
    expect(body).not.toContain('<img');
    expect(body).not.toMatch(/^#/m);
    expect(body).toContain("``nas:`x`.service``");
    expect(body).toContain('``a`b``');
  });
});
