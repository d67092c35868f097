import { describe, expect, it } from 'vitest';
import { clientIp, isLoopbackIp, isLoopbackUrl, readEnv } from './env';

describe('environment', () => {
  it('defaults the issuer to localhost on the port', () => {
    expect(readEnv({ PORT: '4000' }).publicUrl).toBe('http://localhost:4000');
    expect(readEnv({ PUBLIC_URL: 'https://id.example.com/' }).publicUrl).toBe('https://id.example.com');
  });
  it('refuses what cannot work, naming the variable', () => {
    expect(() => readEnv({ PUBLIC_URL: 'https://example.com/auth' })).toThrow(/PUBLIC_URL/);
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => readEnv({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
    expect(() => readEnv({ SMS_WEBHOOK_URL: 'ftp://sms.example/send' })).toThrow(/SMS_WEBHOOK_URL/);
    expect(() => readEnv({ SMS_WEBHOOK_URL: 'not a url' })).toThrow(/SMS_WEBHOOK_URL/);
    expect(() => readEnv({ SMS_WEBHOOK_URL: 'https://sms.example/send', SMS_WEBHOOK_SECRET: 'short' })).toThrow(/SMS_WEBHOOK_SECRET/);
    expect(() => readEnv({ SMS_WEBHOOK_SECRET: 'a-secret-long-enough-to-sign' })).toThrow(/SMS_WEBHOOK_SECRET/);
  });
  it('reads the SMS webhook', () => {
    expect(readEnv({})).toMatchObject({ smsWebhookUrl: undefined, smsWebhookSecret: undefined });
    expect(readEnv({ SMS_WEBHOOK_URL: 'https://sms.example/send', SMS_WEBHOOK_SECRET: 'a-secret-long-enough-to-sign' })).toMatchObject({
      smsWebhookUrl: 'https://sms.example/send',
      smsWebhookSecret: 'a-secret-long-enough-to-sign',
    });
  });
  it('keeps events 90 days unless EVENTS_RETENTION_DAYS says otherwise (1 to 3650)', () => {
    expect(readEnv({}).eventsRetentionDays).toBe(90);
    expect(readEnv({ EVENTS_RETENTION_DAYS: '30' }).eventsRetentionDays).toBe(30);
    expect(() => readEnv({ EVENTS_RETENTION_DAYS: '0' })).toThrow(/EVENTS_RETENTION_DAYS/);
    expect(() => readEnv({ EVENTS_RETENTION_DAYS: 'forever' })).toThrow(/EVENTS_RETENTION_DAYS/);
  });
  it('keeps admin audit rows 365 days unless AUDIT_RETENTION_DAYS says otherwise (1 to 36500)', () => {
    expect(readEnv({}).auditRetentionDays).toBe(365);
    expect(readEnv({ AUDIT_RETENTION_DAYS: '2555' }).auditRetentionDays).toBe(2555);
    expect(() => readEnv({ AUDIT_RETENTION_DAYS: '0' })).toThrow(/AUDIT_RETENTION_DAYS/);
    expect(() => readEnv({ AUDIT_RETENTION_DAYS: '36501' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
  it('prunes with FOYER_CONFIG_PRUNE=1 only', () => {
    expect(readEnv({}).configPrune).toBe(false);
    expect(readEnv({ FOYER_CONFIG_PRUNE: '1' }).configPrune).toBe(true);
    expect(() => readEnv({ FOYER_CONFIG_PRUNE: 'yes' })).toThrow('Invalid environment variable FOYER_CONFIG_PRUNE: must be 0 or 1');
  });
  it('knows loopback addresses', () => {
    expect(isLoopbackUrl('http://localhost:3000')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1:3000')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:3000')).toBe(true);
    expect(isLoopbackUrl('https://id.example.com')).toBe(false);
    expect(isLoopbackIp('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackIp('10.0.0.1')).toBe(false);
  });
  it('trusts X-Forwarded-For only as far as it is told', () => {
    expect(clientIp('10.0.0.9', '1.2.3.4', 0)).toBe('10.0.0.9');
    expect(clientIp('10.0.0.9', 'spoofed, 1.2.3.4', 1)).toBe('1.2.3.4');
    expect(clientIp('10.0.0.9', 'spoofed, 1.2.3.4, 10.0.0.8', 2)).toBe('1.2.3.4');
    expect(clientIp('10.0.0.9', undefined, 1)).toBe('10.0.0.9');
  });
});
