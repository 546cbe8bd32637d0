import { isDashError, type Logger } from 'dash-core';
import type { GraphQLClient } from './graphql.js';
import type { ContractRef } from './options.js';
import { CONTRACT_TIME_REPORT, IDENTITY, TALENT_WORK_HISTORY, TIME_REPORT_MAX_PAGES, TIME_REPORT_PAGE, VENDOR_CONTRACTS } from './queries.js';
import { utcDayOf } from './utc-days.js';

/** A contract as shown in Dash: its title is the project, its client the client. */
export interface Contract {
  id: string;
  title: string;
  client: string | null;
}

interface WorkHistoryAnswer {
  talentWorkHistory?: { workHistoryList?: ({ contract?: { id?: unknown; title?: unknown; terms?: { jobType?: unknown } | null } | null } | null)[] | null } | null;
}
interface VendorContractsAnswer {
  vendorContracts?: { contracts?: ({ id?: unknown; title?: unknown; clientOrganization?: { name?: unknown } | null; clientTeam?: { name?: unknown } | null } | null)[] | null } | null;
}
interface TimeReportAnswer {
  user?: {
    contractTimeReport?: {
      edges?: ({ node?: { contract?: { id?: unknown; title?: unknown; clientTeam?: { name?: unknown } | null } | null } | null } | null)[] | null;
      pageInfo?: { endCursor?: unknown; hasNextPage?: unknown } | null;
    } | null;
  } | null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);

function describe(error: unknown): string {
  return isDashError(error) ? `${error.code}: ${error.message}` : String(error);
}

/**
 * What the time reports of the last four weeks say about contracts: titles and client names.
 * Every page, not only the first (one row per contract and day: 100 rows can be a week).
 */
async function fromTimeReport(client: GraphQLClient, now: Date, log: Logger, signal?: AbortSignal): Promise<Map<string, Contract>> {
  const seconds = Math.floor(now.getTime() / 1000);
  const range = { rangeStart: utcDayOf(seconds - 28 * 86_400), rangeEnd: utcDayOf(seconds) };
  const found = new Map<string, Contract>();
  let after: string | undefined;
  for (let page = 1; ; page++) {
    const pagination = after === undefined ? { first: TIME_REPORT_PAGE } : { first: TIME_REPORT_PAGE, after };
    const data = await client.query<TimeReportAnswer>(CONTRACT_TIME_REPORT, { range, pagination }, signal);
    const report = data.user?.contractTimeReport;
    for (const edge of report?.edges ?? []) {
      const contract = edge?.node?.contract;
      const id = text(contract?.id);
      if (!id || found.has(id)) continue;
      found.set(id, { id, title: text(contract?.title) ?? `Upwork contract ${id}`, client: text(contract?.clientTeam?.name) ?? null });
    }
    const next = text(report?.pageInfo?.endCursor);
    if (report?.pageInfo?.hasNextPage !== true || next === undefined || next === after) break;
    if (page >= TIME_REPORT_MAX_PAGES) {
      log.warn(`contractTimeReport has more than ${TIME_REPORT_MAX_PAGES} pages; the contracts on later pages are left out`);
      break;
    }
    after = next;
  }
  return found;
}

/**
 * The contracts to show, in the order of the reference's fallbacks: `contracts = [...]` from the
 * config; else talentWorkHistory (active, hourly) for the signed-in user; else vendorContracts;
 * else the contracts in the last four weeks of time reports. Titles and client names missing
 * from the first answer are filled in from the time reports when the key allows.
 */
export async function discoverContracts(
  client: GraphQLClient,
  configured: ContractRef[] | undefined,
  options: { now: Date; log: Logger; signal?: AbortSignal },
): Promise<Contract[]> {
  const { log, signal } = options;
  let contracts: Contract[] | undefined;
  let report: Map<string, Contract> | undefined;
  const loadReport = async () => {
    if (report) return report;
    try {
      report = await fromTimeReport(client, options.now, log, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      log.debug(`contractTimeReport unavailable (${describe(error)})`);
      report = new Map();
    }
    return report;
  };

  if (configured && configured.length > 0) {
    contracts = configured.map((ref) => ({ id: ref.id, title: ref.title ?? '', client: ref.client ?? null }));
    log.debug(`contracts from the config: ${contracts.map((item) => item.id).join(', ')}`);
  } else {
    let firstError: unknown;
    // Without even the user's id nothing below can work: that error is the one to show.
    const identity = await client.query<{ user?: { id?: unknown } | null }>(IDENTITY, {}, signal);
    const userId = text(identity.user?.id);
    if (userId) {
      try {
        const data = await client.query<WorkHistoryAnswer>(TALENT_WORK_HISTORY, { filter: { personId: userId, status: ['ACTIVE'] } }, signal);
        contracts = (data.talentWorkHistory?.workHistoryList ?? [])
          .map((item) => item?.contract)
          .filter((contract) => contract && text(contract.id) && (contract.terms?.jobType ?? 'HOURLY') === 'HOURLY')
          .map((contract) => ({ id: text(contract!.id)!, title: text(contract!.title) ?? '', client: null }));
        log.debug(`contracts from talentWorkHistory: ${contracts.map((item) => item.id).join(', ') || 'none'}`);
      } catch (error) {
        if (signal?.aborted) throw error;
        firstError = error;
        log.debug(`talentWorkHistory failed (${describe(error)}); trying vendorContracts`);
      }
      if (!contracts) {
        try {
          const data = await client.query<VendorContractsAnswer>(VENDOR_CONTRACTS, { filter: { vendorId: userId, contractStatuses: ['ACTIVE'] } }, signal);
          contracts = (data.vendorContracts?.contracts ?? [])
            .filter((contract) => contract && text(contract.id))
            .map((contract) => ({
              id: text(contract!.id)!,
              title: text(contract!.title) ?? '',
              client: text(contract!.clientOrganization?.name) ?? text(contract!.clientTeam?.name) ?? null,
            }));
          log.debug(`contracts from vendorContracts: ${contracts.map((item) => item.id).join(', ') || 'none'}`);
        } catch (error) {
          if (signal?.aborted) throw error;
          log.debug(`vendorContracts failed (${describe(error)}); trying contractTimeReport`);
        }
      }
    }
    if (!contracts) {
      const fromReport = await loadReport();
      if (fromReport.size === 0 && firstError) throw firstError;
      contracts = [...fromReport.values()];
      log.debug(`contracts from contractTimeReport: ${contracts.map((item) => item.id).join(', ') || 'none'}`);
    }
  }

  if (contracts.some((contract) => !contract.title || contract.client === null)) {
    const known = await loadReport();
    contracts = contracts.map((contract) => {
      const extra = known.get(contract.id);
      return {
        id: contract.id,
        title: contract.title || extra?.title || `Upwork contract ${contract.id}`,
        client: contract.client ?? extra?.client ?? null,
      };
    });
  }
  return contracts;
}
