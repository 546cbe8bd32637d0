import { z } from 'dash-core';

export const DEFAULT_MEASUREMENT = 'dash_entry';
export const DEFAULT_BATCH_SIZE = 5000;

const url = z
  .string({ error: 'is required: the database\'s base URL, e.g. url = "http://127.0.0.1:8086"' })
  .refine((value) => {
    try {
      const parsed = new URL(value);
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.search === '' && parsed.username === '' && parsed.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without a query or credentials, e.g. "http://127.0.0.1:8086" (put credentials in username/password or token)')
  .transform((value) => value.replace(/\/+$/, ''));

const nonEmpty = (what: string) => z.string().trim().min(1, `is empty: ${what}`);

/**
 * The keys of an `[[outputs]]` entry with `plugin = "influxdb"`:
 * InfluxDB 1.x: `database` (+ `username`/`password`, `retention_policy`);
 * InfluxDB 2.x/3.x: `org`, `bucket`, `token`. One of `database` or `bucket`.
 */
export const InfluxOptionsSchema = z
  .strictObject({
    url,
    database: nonEmpty('the InfluxDB 1.x database, e.g. database = "dash"').optional(),
    username: nonEmpty('the InfluxDB 1.x user').optional(),
    password: z.string().optional(),
    retention_policy: nonEmpty('a retention policy of the database').optional(),
    org: nonEmpty('the InfluxDB 2 organization').optional(),
    bucket: nonEmpty('the InfluxDB 2 bucket, e.g. bucket = "dash"').optional(),
    token: nonEmpty('an InfluxDB 2 API token, e.g. token = "${INFLUX_TOKEN}"').optional(),
    measurement: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a name of letters, digits and _ that starts with a letter, e.g. "dash_entry"')
      .default(DEFAULT_MEASUREMENT),
    batch_size: z.number().int().min(1).max(100_000).default(DEFAULT_BATCH_SIZE),
    /**
     * "influxdb" (default): an edited or deleted entry's old point is overwritten by a tombstone.
     * "victoriametrics": VictoriaMetrics keeps every sample written, so the entry's series is
     * deleted through its /api/v1/admin/tsdb/delete_series API instead (README, "InfluxDB and Grafana").
     */
    server: z.enum(['influxdb', 'victoriametrics']).default('influxdb'),
  })
  .superRefine((options, ctx) => {
    const v1 = options.database !== undefined;
    const v2 = options.bucket !== undefined || options.org !== undefined || options.token !== undefined;
    if (v1 === v2) {
      ctx.addIssue({
        code: 'custom',
        message: v1
          ? 'has both database (InfluxDB 1.x) and org/bucket/token (InfluxDB 2): keep one'
          : 'needs database = "…" (InfluxDB 1.x) or org, bucket and token (InfluxDB 2)',
      });
      return;
    }
    if (v2) {
      for (const key of ['org', 'bucket'] as const) {
        if (options[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is required for InfluxDB 2 (with org, bucket and token)' });
      }
    }
    if (options.password !== undefined && options.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'needs username too' });
    }
  });

export type InfluxOptions = z.output<typeof InfluxOptionsSchema>;
