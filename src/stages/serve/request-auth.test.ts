import { describe, expect, it } from 'vitest';
import { isAuthorized } from './request-auth.js';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('isAuthorized', () => {
  it('accepts the bearer token and nothing else', () => {
    const expected = { type: 'bearer' as const, token: 's3cret-token' };
    expect(isAuthorized('Bearer s3cret-token', expected)).toBe(true);
    expect(isAuthorized('bearer s3cret-token', expected)).toBe(true);
    expect(isAuthorized('Bearer s3cret-tokeN', expected)).toBe(false);
    expect(isAuthorized('Bearer s3cret-token-longer', expected)).toBe(false);
    expect(isAuthorized(basic('s3cret-token:'), expected)).toBe(false);
    expect(isAuthorized(undefined, expected)).toBe(false);
  });

  it('accepts basic credentials only with both the user and the password right', () => {
    const expected = { type: 'basic' as const, username: 'alertmanager', password: 'pw:with:colons' };
    expect(isAuthorized(basic('alertmanager:pw:with:colons'), expected)).toBe(true);
    expect(isAuthorized(basic('alertmanager:pw'), expected)).toBe(false);
    expect(isAuthorized(basic('other:pw:with:colons'), expected)).toBe(false);
    expect(isAuthorized(basic('alertmanagerpw'), expected)).toBe(false);
    expect(isAuthorized('Bearer pw:with:colons', expected)).toBe(false);
  });
});
