import { describe, expect, it } from 'vitest';
import { Redactor, redactUrlCredentials } from './redact.js';

describe('redactUrlCredentials', () => {
  it('removes the userinfo of every URL in a text and keeps the rest', () => {
    expect(redactUrlCredentials('NOMAD_ADDR=http://user:pw@10.0.0.5:4646 and https://x-access-token:ghs_abc@github.com/o/r.git')).toBe(
      'NOMAD_ADDR=http://***@10.0.0.5:4646 and https://***@github.com/o/r.git',
    );
  });

  it('leaves URLs without credentials, ssh git@ URLs and e-mail addresses alone', () => {
    const text = 'http://10.0.0.5:4646/v1/jobs?x=a@b alice@example.com git+ssh://git@github.com/o/r';
    expect(redactUrlCredentials(text)).toBe(text);
  });
});

describe('Redactor', () => {
  it('redacts URL credentials it was never told about (logs, reports)', () => {
    expect(new Redactor().redact('nomad at http://admin:hunter22@nomad.lan:4646 unreachable')).toBe('nomad at http://***@nomad.lan:4646 unreachable');
  });
});
