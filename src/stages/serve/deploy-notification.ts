// What people are told about a deploy (run by `steward deploy` from CI, or by `steward serve`): a
// commit held for approval, or a deploy that failed (build, validation, pre-flight, activation or
// verification). Keys are the commit's, so a redelivered push, a retried job or serve announcing the
// deploy its child `steward deploy` already announced never tells anyone the same commit twice.
import type { Notification, Notifier, NotifyResult } from '../../ports/notifier.js';

/** GitHub keeps 65,536 characters of an issue body; ntfy far less (its channel truncates again). */
const MAX_REPORT_CHARS = 30_000;

export function deployNotification(head: string, exitCode: number | null, report: string): Notification | null {
  const short = head.slice(0, 12);
  // Trimmed: serve reads the report from the child's stdout (one trailing newline more), and the
  // same content must hash the same or a channel that announces updates would repeat it.
  report = report.trim();
  const body = report.length > MAX_REPORT_CHARS ? `${report.slice(0, MAX_REPORT_CHARS)}\n\n…(report truncated)` : report;
  // README "Exit codes": 5 held, 3 build failed, 4 validation failed, 6 deploy or verification failed.
  if (exitCode === 5) return { key: `held:${head}`, kind: 'held', severity: 'warning', title: `Deploy of ${short} held: a risky change waits for approval`, body, once: true };
  if (exitCode === 3 || exitCode === 4 || exitCode === 6) {
    const what = exitCode === 3 ? 'the Nix build failed' : exitCode === 4 ? 'static validation failed' : 'the deploy failed (rolled back where it could)';
    return { key: `deploy-failed:${head}`, kind: 'deploy-failed', severity: 'critical', title: `Deploy of ${short}: ${what}`, body, once: true };
  }
  return null;
}

/** Announces a deploy's outcome, if it is one people are told about. Never throws (the Notifier does not). */
export async function notifyDeployOutcome(notifier: Notifier, head: string, exitCode: number | null, report: string): Promise<{ notification: Notification; results: NotifyResult[] } | null> {
  const notification = deployNotification(head, exitCode, report);
  if (!notification) return null;
  return { notification, results: await notifier.notify(notification) };
}
