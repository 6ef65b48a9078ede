// One GitHub issue per notification key (an incident, a held commit): opened once, edited in place
// when the content changes, closed with a comment when the event is over. The issue number is
// the channel's ref in the ledger; a hidden marker in the body names the key.
import type { Notification } from '../../ports/notifier.js';
import type { NotifyChannel, SentRecord } from '../../ports/notify-channel.js';
import type { Redactor } from '../../redact.js';
import { callGitHub, type StewardOctokit } from '../github-octokit/client.js';

export interface GitHubIssueChannelOptions {
  octokit: StewardOctokit;
  /** `owner/name`. */
  repository: string;
  labels: string[];
  redactor: Redactor;
}

/** GitHub keeps 65,536 characters of an issue body and 256 of a title. */
const BODY_LIMIT = 60_000;
const TITLE_LIMIT = 240;

export function renderIssue(n: Notification): { title: string; body: string } {
  // The title is one line of untrusted text; markdown in it is harmless on GitHub, line breaks are not kept.
  const title = `[steward] ${n.title.replace(/\s+/g, ' ').trim()}`.slice(0, TITLE_LIMIT);
  const links = n.links?.length ? `\n\n${n.links.map((l) => `- [${l.label.replace(/[[\]]/g, '')}](${l.url})`).join('\n')}` : '';
  const head = `**${n.kind}** · severity **${n.severity}**\n\n`;
  const body = `${head}${n.body}${links}`;
  const marker = `\n\n<!-- steward:notification key=${n.key.replace(/--/g, '-')} -->`;
  return { title, body: `${body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT)}\n\n…(truncated)` : body}${marker}` };
}

export function createGitHubIssueChannel(options: GitHubIssueChannelOptions): NotifyChannel {
  const [owner, repo] = options.repository.split('/') as [string, string];
  const { octokit, redactor } = options;
  const issueNumber = (previous: SentRecord) => {
    const n = Number(previous.ref);
    if (!Number.isInteger(n) || n < 1) throw new Error(`no issue recorded for ${previous.key}`);
    return n;
  };
  return {
    name: 'github-issue',
    async send(n) {
      const { title, body } = renderIssue(n);
      const { data } = await callGitHub('create issue', redactor, () => octokit.rest.issues.create({ owner, repo, title, body, labels: options.labels }));
      return { ref: String(data.number), url: data.html_url };
    },
    async update(n, previous) {
      const { title, body } = renderIssue(n);
      // A person may have closed it meanwhile: the trouble is back, so it opens again.
      const { data } = await callGitHub('update issue', redactor, () => octokit.rest.issues.update({ owner, repo, issue_number: issueNumber(previous), title, body, state: 'open' }));
      return { ref: String(data.number), url: data.html_url };
    },
    async resolve(previous, note) {
      const number = issueNumber(previous);
      await callGitHub('comment on issue', redactor, () => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: note }));
      const { data } = await callGitHub('close issue', redactor, () => octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: 'completed' }));
      return { url: data.html_url };
    },
  };
}
