import { describe, expect, it } from 'vitest';
import { isEncryptedEnvelope } from './encrypted-envelope.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('encrypted envelopes', () => {
  it('recognises sops YAML, JSON and dotenv files by their metadata and ENC values', () => {
    expect(isEncryptedEnvelope(bytes('password: ENC[AES256_GCM,data:abc=,iv:x,tag:y,type:str]\nsops:\n    mac: ENC[AES256_GCM,data:z]\n'))).toBe(true);
    expect(isEncryptedEnvelope(bytes('{\n  "token": "ENC[AES256_GCM,data:abc,iv:x]",\n  "sops": { "mac": "m" }\n}\n'))).toBe(true);
    expect(isEncryptedEnvelope(bytes('TOKEN=ENC[AES256_GCM,data:abc]\nsops_mac=ENC[AES256_GCM,data:m]\n'))).toBe(true);
  });
  it('recognises age, git-crypt and PGP headers', () => {
    expect(isEncryptedEnvelope(bytes('-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n'))).toBe(true);
    expect(isEncryptedEnvelope(bytes('age-encryption.org/v1\n-> X25519 abc\n\u0001\u0002'))).toBe(true);
    expect(isEncryptedEnvelope(bytes('\u0000GITCRYPT\u0000\u0013\u0099'))).toBe(true);
  });
  it('leaves plain configuration alone, even when it mentions sops', () => {
    expect(isEncryptedEnvelope(bytes('sops:\n  defaultSopsFile: ./secrets.yaml\n'))).toBe(false);
    expect(isEncryptedEnvelope(bytes('{ sops.secrets.token = { }; }\n'))).toBe(false);
  });
});
