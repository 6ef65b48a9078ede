// The GitHub issue channel against the GitHub double (held to GitHub's OpenAPI description): one
// issue per incident, edited in place, closed once when it resolves.
import { describe, expect, it } from 'vitest';
import { createOctokitClient } from '../../src/adapters/github-octokit/client.js';
import { createGitHubIssueChannel } from '../../src/adapters/notify-github-issue/github-issue-channel.js';
import { SqliteNotificationLedger } from '../../src/adapters/store-sqlite/notification-ledger.js';
import type { Notification } from '../../src/ports/notifier.js';
import { createChannelNotifier } from '../../src/stages/notify/channel-notifier.js';
import { capturingLogger, TOKEN, useSeededDouble } from './fixtures.js';
import { Redactor } from '../../src/redact.js';

const incident: Notification = {
  key: 'incident:am-0123456789abcdef-01234567',
  kind: 'escalation',
  severity: 'critical',
  title: 'postgresql down on nas\nsecond line',
  body: '`postgresql.service` failed 3 times; the journal says `FATAL: could not open file`.',
  links: [{ label: 'Alertmanager', url: 'http://alertmanager:9093/#/alerts' }],
};

describe('GitHub issue channel', () => {
  const gh = useSeededDouble();

  function notifier() {
    const redactor = new Redactor();
    const octokit = createOctokitClient({ token: TOKEN, baseUrl: gh.double.url, redactor, logger: capturingLogger(redactor), pacing: 'none', waitUnitMs: 1 });
    const channel = createGitHubIssueChannel({ octokit, repository: gh.double.state.fullName, labels: ['steward', 'incident'], redactor });
    return createChannelNotifier({ channels: [channel], ledger: new SqliteNotificationLedger(':memory:'), redactor });
  }

  it('opens one issue per key, edits it in place when the content changes, and closes it once when resolved', async () => {
    const n = notifier();
    const [sent] = await n.notify(incident);
    expect(sent).toMatchObject({ channel: 'github-issue', status: 'sent', url: expect.stringMatching(/\/issues\/\d+$/) });
    expect(await n.notify(incident)).toEqual([{ channel: 'github-issue', status: 'duplicate' }]);
    expect(await n.notify({ ...incident, body: `${incident.body}\n\nA restart did not help.` })).toMatchObject([{ status: 'updated', url: sent!.url }]);
    const { issues } = gh.double.state;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: '[steward] postgresql down on nas second line', state: 'open', labels: ['steward', 'incident'] });
    expect(issues[0]!.body).toContain('A restart did not help.');
    expect(issues[0]!.body).toContain(`<!-- steward:notification key=${incident.key} -->`);

    expect(await n.resolve(incident.key, 'Every alert of this incident resolved.')).toMatchObject([{ status: 'updated' }]);
    expect(await n.resolve(incident.key, 'Every alert of this incident resolved.')).toMatchObject([{ status: 'duplicate' }]);
    expect(issues[0]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(gh.double.state.comments.filter((c) => c.issue === issues[0]!.number).map((c) => c.body)).toEqual(['Every alert of this incident resolved.']);
    // The same trouble back later under the same key: a new issue, the old one stays closed.
    await n.notify(incident);
    expect(issues.map((i) => i.state)).toEqual(['closed', 'open']);
    expect(gh.double.exchanges.filter((e) => e.status >= 300).map((e) => `${e.method} ${e.url} ${e.status}`)).toEqual([]);
  });

  it('reports a GitHub failure as failed, never throws, and keeps the token out of the detail', async () => {
    gh.double.faults.push({ kind: 'server-error', times: Infinity });
    const [result] = await notifier().notify(incident);
    expect(result).toMatchObject({ channel: 'github-issue', status: 'failed' });
    expect(result!.detail).not.toContain(TOKEN);
  });
});
