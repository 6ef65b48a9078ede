// One redaction pass for everything that leaves the process: logs, reports, comments, prompts.
// Known secret values are replaced exactly; common token shapes and the credentials embedded in
// URLs are replaced even when unknown.

const TOKEN_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{10,}\b/g, // Anthropic keys
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\s*$|["'\s])/gim, // Nomad/Consul ACL secret IDs in token positions
  /(authorization:\s*(?:bearer|token)\s+)[^\s"']+/gi,
  /(x-nomad-token:\s*)[^\s"']+/gi,
  /(x-consul-token:\s*)[^\s"']+/gi,
  /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g,
];

export const REDACTED = '***';

/** `scheme://user:password@host`: the userinfo of any URL (`NOMAD_ADDR`, a git remote, a proxy). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;

/**
 * A URL (or text holding URLs) without the credentials embedded in it: `http://***@host:4646`.
 * A token alone is a credential too (`https://TOKEN@github.com`); only ssh's `git@` says nothing.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (match, scheme: string, userinfo: string) => (userinfo === 'git' ? match : `${scheme}${REDACTED}@`));
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret value; values shorter than 4 characters are ignored (too many false hits). */
  add(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
    out = redactUrlCredentials(out);
    for (const pattern of TOKEN_PATTERNS) {
      out = out.replace(pattern, (match, prefix?: unknown, suffix?: unknown) => {
        if (typeof prefix === 'string' && typeof suffix === 'string') return `${prefix}${REDACTED}${suffix}`;
        if (typeof prefix === 'string' && match.startsWith(prefix)) return `${prefix}${REDACTED}`;
        return REDACTED;
      });
    }
    return out;
  }
}
