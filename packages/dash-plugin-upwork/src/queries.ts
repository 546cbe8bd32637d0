/**
 * The GraphQL documents the plugin sends (field names from reference/upwork-api.md §2).
 * Inputs go in variables; batched calls use aliases c0…c9.
 */

/** The signed-in user (the official SDK's smoke test). */
export const IDENTITY = 'query Identity { user { id nid } }';

/**
 * Active contracts of a freelancer (works with a personal key, reference §2.4). The filter goes
 * whole in a variable of the input type: written inline, `personId: $id` would need the exact
 * scalar (ID or String, undocumented), and a mismatch fails the query.
 */
export const TALENT_WORK_HISTORY = `query ActiveContracts($filter: TalentWorkHistoryFilterInput) {
  talentWorkHistory(filter: $filter) {
    workHistoryList { contract { id title terms { hourlyRate jobType } } }
  }
}`;

/** Fallback contract listing (may be refused for a freelancer key); the filter as a variable too. */
export const VENDOR_CONTRACTS = `query VendorContracts($filter: VendorContractSearchFilter!) {
  vendorContracts(filter: $filter) {
    contracts { id title status clientOrganization { name } clientTeam { name } }
  }
}`;

/**
 * Per-day time report rows: contract titles and client names (and a last-resort contract list).
 * One page of `pagination.first` rows; follow `pageInfo.endCursor` while `hasNextPage`.
 */
export const CONTRACT_TIME_REPORT = `query TimeReport($range: DateTimeRange!, $pagination: Pagination!) {
  user {
    contractTimeReport(timeReportDate_bt: $range, pagination: $pagination) {
      edges { node { dateWorkedOn totalHoursWorked contract { id title clientTeam { name } } } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;

/** Rows per contractTimeReport page (the most the SDK examples ask for). */
export const TIME_REPORT_PAGE = 100;
/** Pages followed at most (28 days × many contracts; a cursor that never ends must not loop). */
export const TIME_REPORT_MAX_PAGES = 50;

/**
 * `offsetInSeconds` of WorkdaysInput and WorkDiaryContractInput: the days asked for and answered
 * are UTC days. Its default is undocumented (reference: api-conformance.md), so it is always sent.
 */
export const UTC_OFFSET_SECONDS = 0;

const DIARY_FIELDS =
  'workDiaryMetadata { timezoneOffset } workDiaryTimeCells { cellDateTime { rawValue } manual overtime activityLevel memo }';

/** Up to 10 aliased `workDays` calls, one per contract: which UTC days have time. */
export function workDaysQuery(count: number): string {
  const params = Array.from({ length: count }, (_, index) => `$c${index}: WorkdaysInput!`).join(', ');
  const fields = Array.from({ length: count }, (_, index) => `c${index}: workDays(workdaysInput: $c${index}) { workDays }`).join('\n  ');
  return `query WorkDays(${params}) {\n  ${fields}\n}`;
}

/** Up to 10 aliased `workDiaryContract` calls, one per (contract, UTC day). */
export function workDiaryQuery(count: number): string {
  const params = Array.from({ length: count }, (_, index) => `$c${index}: WorkDiaryContractInput!`).join(', ');
  const fields = Array.from({ length: count }, (_, index) => `c${index}: workDiaryContract(workDiaryContractInput: $c${index}) { ${DIARY_FIELDS} }`).join(
    '\n  ',
  );
  return `query WorkDiary(${params}) {\n  ${fields}\n}`;
}

/** Upwork allows more, but batches of 10 are what live users run (reference §2.1). */
export const MAX_ALIASES = 10;

export function chunk<T>(items: readonly T[], size = MAX_ALIASES): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}
