// The two headers of the OCI distribution token flow and pagination: a `WWW-Authenticate:
// Bearer realm=...,service=...,scope=...` challenge and a `Link: <...>; rel="next"` header.

export interface BearerChallenge {
  realm: string;
  service?: string;
  scope?: string;
}

/** The Bearer challenge of a 401 response, or null for another scheme (Basic) or none. */
export function parseBearerChallenge(header: string | null): BearerChallenge | null {
  if (!header || !/^\s*bearer\s/i.test(header)) return null;
  const params = new Map<string, string>();
  // key="quoted value" or key=token, comma separated (RFC 7235 auth-params).
  for (const m of header.replace(/^\s*bearer\s+/i, '').matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!);
  }
  const realm = params.get('realm');
  if (!realm) return null;
  return { realm, ...(params.has('service') ? { service: params.get('service')! } : {}), ...(params.has('scope') ? { scope: params.get('scope')! } : {}) };
}

/** The `rel="next"` target of a Link header, resolved against the request URL. */
export function nextLink(header: string | null, requestUrl: string): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel="?next"?/i.test(m[2]!)) return new URL(m[1]!, requestUrl).toString();
  }
  return null;
}
