/**
 * The payments overview of an issued run: each line's payment status, the
 * filter (kept in the page's URL, so it survives reloads and prints), the
 * totals of everything the filter selects, and one page of lines.
 * Pure: the route reads the run, this decides what is shown.
 */

export const PAY_STATUSES = ["UNPAID", "PAID", "FAILED", "PARTIAL"] as const;
export type PayStatus = (typeof PAY_STATUSES)[number];

/** Lines per page: a 5,000-line run must not render 5,000 rows with their forms. */
export const PAGE_SIZE = 100;

export interface PayLine {
  id: number;
  villageId: number;
  netFen: bigint;
  paidFen: bigint;
  /** in the order they were recorded */
  payments: { status: string }[];
}

/** What is still to pay on a line; never negative (a correction's negative difference owes nothing to the member). */
export function outstandingFen(l: { netFen: bigint; paidFen: bigint }): bigint {
  return l.netFen > l.paidFen ? l.netFen - l.paidFen : 0n;
}

/**
 * 已付 when nothing is outstanding; 支付失败 when the latest attempt failed
 * (it needs attention even if part was paid before); 部分支付 when some was
 * paid; 未付 otherwise.
 */
export function paymentStatus(l: PayLine): PayStatus {
  if (outstandingFen(l) === 0n) return "PAID";
  if (l.payments.at(-1)?.status === "FAILED") return "FAILED";
  if (l.paidFen > 0n) return "PARTIAL";
  return "UNPAID";
}

export interface PayFilter {
  status: PayStatus | null;
  villageId: number | null;
  page: number;
}

/** The filter from the URL; anything unknown means "no filter", never an error. */
export function parsePayFilter(params: URLSearchParams): PayFilter {
  const status = params.get("pay");
  const village = Number(params.get("village"));
  const page = Number(params.get("page"));
  return {
    status: (PAY_STATUSES as readonly string[]).includes(status ?? "") ? (status as PayStatus) : null,
    villageId: Number.isSafeInteger(village) && village > 0 ? village : null,
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

export interface PayTotals {
  lines: number;
  netFen: bigint;
  paidFen: bigint;
  outstandingFen: bigint;
}

export function payTotals(lines: readonly PayLine[]): PayTotals {
  const t: PayTotals = { lines: 0, netFen: 0n, paidFen: 0n, outstandingFen: 0n };
  for (const l of lines) {
    t.lines += 1;
    t.netFen += l.netFen;
    t.paidFen += l.paidFen;
    t.outstandingFen += outstandingFen(l);
  }
  return t;
}

/**
 * The lines the filter selects, their totals, one page of them, and what
 * "all unpaid lines" would pay: every line of the chosen village (all pages,
 * whatever the status filter) with something outstanding.
 */
export function payOverview<L extends PayLine>(lines: readonly L[], filter: PayFilter, pageSize = PAGE_SIZE) {
  const inVillage = filter.villageId === null ? lines : lines.filter((l) => l.villageId === filter.villageId);
  const selected = filter.status === null ? inVillage : inVillage.filter((l) => paymentStatus(l) === filter.status);
  const pages = Math.max(1, Math.ceil(selected.length / pageSize));
  const page = Math.min(filter.page, pages);
  const open = inVillage.filter((l) => outstandingFen(l) > 0n);
  return {
    page,
    pages,
    lines: selected.slice((page - 1) * pageSize, page * pageSize),
    totals: payTotals(selected),
    allUnpaid: { lines: open.length, fen: open.reduce((s, l) => s + outstandingFen(l), 0n) },
  };
}
