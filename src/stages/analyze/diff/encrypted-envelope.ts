// Encrypted files recognised by their envelope, whatever their name: sops (YAML, JSON, INI,
// dotenv), age (armored or binary), git-crypt and PGP messages. A change to one is a secret
// change (CLASSIFICATION.md: encrypted content cannot be reviewed), even when no `secrets` glob
// or `.gitattributes` names it. Only the envelope's markers are looked at, never the payload.
const HEAD_BYTES = 64;
const ENVELOPE_TEXT = [/ENC\[(AES256_GCM|AES256_CBC),data:/];
const SOPS_METADATA = /(^|\n)\s*"?sops"?\s*[:=]|(^|\n)sops_mac=|(^|\n)\[sops\]/;
const HEADERS = ['-----BEGIN AGE ENCRYPTED FILE-----', 'age-encryption.org/v1', '\u0000GITCRYPT\u0000', '-----BEGIN PGP MESSAGE-----'];

export function isEncryptedEnvelope(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, HEAD_BYTES)).toString('latin1').trimStart();
  if (HEADERS.some((h) => head.startsWith(h))) return true;
  const text = Buffer.from(bytes).toString('latin1');
  return ENVELOPE_TEXT.some((re) => re.test(text)) && SOPS_METADATA.test(text);
}
