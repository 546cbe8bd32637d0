import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { z } from 'dash-core';

/** Upwork's public endpoints (reference/upwork-api.md §1.1). */
export const UPWORK_API_URL = 'https://api.upwork.com/graphql';
export const UPWORK_TOKEN_URL = 'https://www.upwork.com/api/v3/oauth2/token';
export const UPWORK_AUTHORIZE_URL = 'https://www.upwork.com/ab/account-security/oauth2/authorize';
/** The loopback port `dash-cli auth` listens on; register http://127.0.0.1:<port>/callback on the key. */
export const DEFAULT_REDIRECT_PORT = 8765;

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const contract = z.union([
  z.string().min(1),
  z.strictObject({
    id: z.string().min(1),
    /** Shown as the project name (default: the contract title from Upwork). */
    title: z.string().min(1).optional(),
    /** Shown as the client (default: the client's name from Upwork). */
    client: z.string().min(1).optional(),
  }),
]);

/** The [[backends]] keys of an Upwork backend (see README "Options"). */
export const UpworkOptionsSchema = z.strictObject({
  client_id: z.string({ message: 'required: the key of your Upwork API application' }).min(1),
  client_secret: z.string({ message: 'required: the secret of your Upwork API application, e.g. "${UPWORK_CLIENT_SECRET}"' }).min(1),
  /** Where tokens are kept (default: $XDG_DATA_HOME/dash/<id>/upwork-token.json). */
  token_file: z.string().min(1).optional(),
  api_url: url.default(UPWORK_API_URL),
  token_url: url.default(UPWORK_TOKEN_URL),
  authorize_url: url.default(UPWORK_AUTHORIZE_URL),
  /** Port of the loopback redirect server `dash-cli auth` starts (0: any free port). */
  redirect_port: z.number().int().min(0).max(65_535).default(DEFAULT_REDIRECT_PORT),
  /** The redirect URI registered on the API key (default: http://127.0.0.1:<redirect_port>/callback). */
  redirect_uri: url.optional(),
  /** Organization (X-Upwork-API-TenantId); only agency members need it. */
  organization_id: z.string().min(1).optional(),
  /** Contract ids to show (skips discovery); strings or { id, title, client }. */
  contracts: z.array(contract).optional(),
  /** Read the Upwork desktop app's logs for a near-real-time "tracking" signal: true (default places) or a folder. */
  desktop_app_logs: z.union([z.boolean(), z.string().min(1)]).default(false),
  /** Requests per second at most (Upwork allows 10 per IP). */
  requests_per_second: z.number().positive().max(8).default(4),
});

export type UpworkOptions = z.output<typeof UpworkOptionsSchema>;

export interface ContractRef {
  id: string;
  title?: string;
  client?: string;
}

export function configuredContracts(options: UpworkOptions): ContractRef[] | undefined {
  return options.contracts?.map((item) => (typeof item === 'string' ? { id: item } : { ...item }));
}

/** The token file: `token_file` (relative to the config's folder, `~` expanded) or `<dataDir>/upwork-token.json`. */
export function tokenFilePath(options: UpworkOptions, context: { configDir: string; dataDir: string }): string {
  if (!options.token_file) return join(context.dataDir, 'upwork-token.json');
  const file = options.token_file.startsWith('~/') ? join(homedir(), options.token_file.slice(2)) : options.token_file;
  return isAbsolute(file) ? file : resolve(context.configDir, file);
}

export function redirectUri(options: UpworkOptions, port: number): string {
  return options.redirect_uri ?? `http://127.0.0.1:${port}/callback`;
}
