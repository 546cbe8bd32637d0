import { DASH_PLUGIN_API_VERSION, defineOutputPlugin, z } from 'dash-core';
import { SECRET_PATTERN, secretKey } from './sign.js';
import { timeoutFromEnv } from './deliver.js';
import { scheduleFromEnv } from './schedule.js';
import { WebhookOutput } from './output.js';

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const WebhookOptionsSchema = z.strictObject({
  url: z.string({ error: 'required: the receiver, e.g. "https://example.com/dash"' }).refine(isHttpUrl, { message: 'must be an http:// or https:// URL' }),
  secret: z
    .string({ error: 'required: a Standard Webhooks secret, "whsec_" and base64 (write it as "${DASH_WEBHOOK_SECRET}")' })
    .regex(SECRET_PATTERN, 'must be a Standard Webhooks secret: "whsec_" followed by base64')
    .refine((value) => !SECRET_PATTERN.test(value) || secretKey(value).length >= 16, {
      message: 'is too short: a Standard Webhooks secret holds 24 to 64 random bytes (e.g. echo "whsec_$(openssl rand -base64 32)")',
    }),
});

export type WebhookOptions = z.output<typeof WebhookOptionsSchema>;
export { eventBody, testEvent } from './body.js';

/**
 * The built-in webhook output: every event signed as Standard Webhooks says, queued in a durable
 * outbox in its data dir before the first attempt, retried on a schedule (schedule.ts) until a 2xx.
 */
export const output = defineOutputPlugin<WebhookOptions>({
  name: 'webhook',
  apiVersion: DASH_PLUGIN_API_VERSION,
  description: 'signed HTTP POSTs (Standard Webhooks) with a durable outbox',
  optionsSchema: WebhookOptionsSchema,
  secretOptions: ['secret'],
  async createOutput(options, context) {
    const webhook = new WebhookOutput(options, context, { schedule: scheduleFromEnv(), timeoutMs: timeoutFromEnv() });
    await webhook.open();
    return webhook;
  },
});

export default output;
