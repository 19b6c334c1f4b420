import { LarderError } from "../../errors.js";
import type { Run, ViewType } from "../entities.js";
import { matchesFilter } from "./matchesFilter.js";
import { parseSearchFilter } from "./parseSearchFilter.js";
import { parseOrderBy, sortRuns } from "./orderBy.js";

export const DEFAULT_MAX_RESULTS = 1000;
export const MAX_RESULTS_LIMIT = 50_000;

export interface InMemorySearchOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  viewType?: ViewType;
  pageToken?: string;
}

/** MLflow's page token: base64 of `{"offset": N}` written with Python's default separators. */
export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`, "utf8").toString("base64");
}

export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown };
    if (typeof parsed.offset === "number" && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // Reported below.
  }
  throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid page token '${token}'`, {
    hint: "Pass back the nextPageToken of a previous search unchanged.",
  });
}

export function validateMaxResults(maxResults: number | undefined): number {
  const value = maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RESULTS_LIMIT) {
    throw new LarderError("INVALID_PARAMETER_VALUE", `Invalid value ${value} for max results: it must be an integer from 1 to ${MAX_RESULTS_LIMIT}`);
  }
  return value;
}

function inView(run: Run, viewType: ViewType): boolean {
  if (viewType === "ALL") return true;
  return viewType === "ACTIVE_ONLY" ? run.info.lifecycleStage === "active" : run.info.lifecycleStage === "deleted";
}

/** Filters, orders and pages runs already in memory; every store's search ends here. */
export function searchRunsInMemory(runs: Run[], options: InMemorySearchOptions = {}): { runs: Run[]; nextPageToken?: string } {
  const maxResults = validateMaxResults(options.maxResults);
  const clauses = parseSearchFilter(options.filter);
  // Parse order-by before any work so a typo fails fast.
  for (const expression of options.orderBy ?? []) parseOrderBy(expression);
  const offset = decodePageToken(options.pageToken);
  const viewType = options.viewType ?? "ACTIVE_ONLY";
  const matching = runs.filter((run) => inView(run, viewType) && matchesFilter(run, clauses));
  const sorted = sortRuns(matching, options.orderBy);
  const page = sorted.slice(offset, offset + maxResults);
  const end = offset + maxResults;
  return end < sorted.length ? { runs: page, nextPageToken: encodePageToken(end) } : { runs: page };
}
