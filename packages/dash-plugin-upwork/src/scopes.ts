/**
 * Upwork enforces key permissions per field and names the fields it refused, e.g.
 * "…doesn't have enough oauth2 permissions/scopes to access: [Contract.workDiaryTimeCells, DateTime.rawValue]".
 * This maps those fields to the permission to tick on the API key (labels as shown in
 * Upwork's key settings; the mapping is inferred, see README "What is uncertain").
 */
const PERMISSIONS: [RegExp, string][] = [
  [/workdiary|workDays|snapshot/i, 'Work diary: "Fetch workdiary snapshots information"'],
  [/timeReport|timesheet/i, 'Time sheets: "Grants read-only access to time-sheet data"'],
  [/talentWorkHistory|workHistory/i, 'Talent work history: read-only access'],
  [/contract|vendorContracts|offer/i, 'Contracts: "Read and write access to contracts"'],
  [/rawValue|DateTime|Money|user|organization/i, 'Common entities: "Common Entities - Read-Only Access"'],
];

const PERMISSION_MESSAGE = /permissions?\/scopes?|not enough.*(scope|permission)|insufficient.*scope|access denied|authorization failed|not authorized|forbidden/i;

export function isPermissionMessage(message: string): boolean {
  return PERMISSION_MESSAGE.test(message);
}

/** The fields named in a permission error: "[A.b, C.d]" → ["A.b", "C.d"]. */
export function deniedFields(message: string): string[] {
  const list = /\[([^\]]+)\]/.exec(message);
  if (!list) return [];
  return list[1]!
    .split(',')
    .map((field) => field.trim().replace(/^['"]|['"]$/g, ''))
    .filter(Boolean);
}

/** Which key permissions to enable for the denied fields (or the query's root fields). */
export function permissionsFor(fields: readonly string[]): string[] {
  const found = new Set<string>();
  for (const field of fields) {
    for (const [pattern, permission] of PERMISSIONS) {
      if (pattern.test(field)) {
        found.add(permission);
        break;
      }
    }
  }
  return [...found];
}
