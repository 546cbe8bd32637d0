import { createHmac } from 'node:crypto';

/** A Standard Webhooks secret: `whsec_` and the key's bytes in base64 (24–64 random bytes by the spec). */
export const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a `whsec_…` secret: the bytes its base64 part decodes to. */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

/**
 * The headers of one delivery attempt (Standard Webhooks): `webhook-id` (the event id, the same
 * on every retry, so receivers dedupe on it), `webhook-timestamp` (unix seconds of this attempt)
 * and `webhook-signature`: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the key.
 */
export function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const signature = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}
