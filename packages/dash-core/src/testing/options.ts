import type { BackendPlugin } from '../plugin.js';
import type { StandardSchemaV1 } from '../standard-schema.js';

/** One problem a plugin's options schema found, with a `a.b[0]` path ("" for the whole object). */
export interface OptionsIssue {
  path: string;
  message: string;
}

export type OptionsResult<Options> =
  | { ok: true; value: Options; issues: [] }
  | { ok: false; value: undefined; issues: OptionsIssue[] };

/** `a.b[0]` for a Standard Schema issue path. */
export function issuePath(path: StandardSchemaV1.Issue['path']): string {
  return (path ?? [])
    .map((segment) => (typeof segment === 'object' && segment !== null ? segment.key : segment))
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * Runs a plugin's options schema on what a `[[backends]]` table would hold (without `plugin`
 * and `id`), the way the host does: `{ ok, value }` with defaults applied, or `{ ok: false, issues }`.
 */
export async function validateOptions<Options>(plugin: BackendPlugin<Options>, input: unknown): Promise<OptionsResult<Options>> {
  const result = await plugin.optionsSchema['~standard'].validate(input);
  if (!result.issues) return { ok: true, value: result.value, issues: [] };
  return {
    ok: false,
    value: undefined,
    issues: result.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message })),
  };
}
