// Alertmanager does not sign its requests: it sends a bearer token or basic credentials, which
// are compared in constant time (a digest of each side, so lengths leak nothing either).
import { createHash, timingSafeEqual } from 'node:crypto';

export type ExpectedCredential = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether an `Authorization` header carries the expected credential. */
export function isAuthorized(header: string | undefined, expected: ExpectedCredential): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (expected.type === 'bearer') return scheme === 'bearer' && sameSecret(value, expected.token);
  if (scheme !== 'basic') return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // Both halves are always compared, so a wrong user takes as long as a wrong password.
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const userOk = sameSecret(user, expected.username);
  const passwordOk = sameSecret(password, expected.password);
  return userOk && passwordOk && colon >= 0;
}
