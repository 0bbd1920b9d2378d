/**
 * Checks transfer contracts already signed (one row per plot of a contract,
 * grouped by 合同编号) with the rules of the contract form and of its plots,
 * and plans the import. Pure.
 *
 * - Each contract becomes the raw form `parseContractForm` takes; its plots
 *   are then checked with `checkLinesAgainstPlots` (in the village, within
 *   the plot's contract term, not an orchard on basic farmland, area within
 *   what is free for the period), where "taken" counts both the contracts
 *   in the database that hold land and the contracts earlier in the file.
 * - An equity contract (入股) has no rent: its rent columns are ignored, it
 *   gets no schedule, and a row with rent already paid is refused (the
 *   households' return is the cooperative's dividend run).
 * - Rent is cash only for now: rent in kind needs the reference prices of
 *   past years and is refused with a clear message.
 * - 已付租金/付款日期 on a row is a payment already made to the household of
 *   that row's plot; its date lies within the term, and a household is never
 *   paid more than the contract's rent for it over the whole term.
 * - A contract whose number is already in the database is "unchanged": filed
 *   contracts are never edited in place (amendments are new versions), so
 *   the import leaves it alone whatever the file says.
 */
import { checkLinesAgainstPlots, parseContractForm, type ContractInput } from "~/contracts/contract-form";
import { generateSchedule, type ScheduleInput } from "~/contracts/schedule";
import { periodsOverlap } from "~/contracts/status";
import { parseYuan, toFen, Decimal, yuan } from "~/lib/money";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { Cells, ErrorCollector, headingProblems, missingRequired, sameText, type Change, type Note, type RowErrors } from "./check-common";
import { parseImportDate, parseMonthDay } from "./columns";
import type { RawTable } from "./table";
import {
  cleanNumber,
  FORM_WORDS,
  looksLikeLostDigits,
  lookupWord,
  normalizeCode,
  normalizeWord,
  parseTiming,
  RENT_KIND_WORDS,
  TIMING_WORDS,
  TRANSFEREE_KIND_WORDS,
  USE_WORDS,
} from "./values";

export interface ContractImportContext {
  villageId: number;
  /** "YYYY-MM-DD" in China time (today() of contracts.server.ts) */
  today: string;
  /** the village's plots */
  plots: { id: number; parcelCode: string; householdId: number; contractArea: string; contractEnd: string; basicFarmland: boolean }[];
  /** cooperatives a contract of this village may name as transferee */
  cooperatives: { id: number; name: string; creditCode: string }[];
  /**
   * Lines of contracts that hold land (status in HOLDING_STATUSES) on this
   * village's plots; endDate is the last day held (holdsUntil: the
   * termination date when a contract ended early).
   */
  activeLines: { plotId: number; startDate: string; endDate: string; area: string; contractNo?: string }[];
  /** contracts of the village by their numbers, to recognise a contract imported before */
  existingContracts: { id: number; contractNo: string | null; draftNo: string }[];
}

export interface PlannedContract {
  rowNumbers: number[];
  existingId: number | null;
  /** contracts are created or left alone, never updated */
  action: "create" | "unchanged";
  contractNo: string;
  /** null for "unchanged" */
  signedDate: string | null;
  /** when given, the contract was filed (备案) on this date */
  filedDate: string | null;
  /** null for "unchanged" */
  input: ContractInput | null;
  lines: { rowNumber: number; plotId: number; householdId: number; area: string }[];
  /** payments already made, one per row that has one, to the household of the row's plot */
  payments: { rowNumber: number; householdId: number; amountFen: bigint; paidOn: string }[];
  changes: Change[];
  notes: Note[];
}

export interface ContractCheck {
  rowErrors: RowErrors;
  fileErrors: Note[];
  contracts: PlannedContract[];
  counts: { rows: number; contracts: number; lines: number; create: number; update: number; unchanged: number };
}

type Row = RawTable["rows"][number];

/** Columns with one value per contract, which may be given on any of its rows. */
const CONTRACT_KEYS = [
  "form",
  "transfereeKind",
  "transfereeName",
  "transfereeCode",
  "transfereeRep",
  "transfereePhone",
  "transfereeAddress",
  "reviewApprovalNo",
  "reviewDate",
  "use",
  "useNote",
  "startDate",
  "endDate",
  "rentKind",
  "rentPerMu",
  "paymentTiming",
  "paymentMonthDay",
  "instalmentsPerYear",
  "stepPercent",
  "stepEveryYears",
  "riskDeposit",
  "penaltyPerTenThousand",
  "signedDate",
  "filedDate",
] as const;
type ContractKey = (typeof CONTRACT_KEYS)[number];

/** Contract form field → import column. */
const FIELD_COLUMN: Record<string, ContractKey> = {
  transfereeKind: "transfereeKind",
  cooperativeId: "transfereeName",
  transfereeName: "transfereeName",
  transfereeCode: "transfereeCode",
  transfereeRep: "transfereeRep",
  transfereePhone: "transfereePhone",
  transfereeAddress: "transfereeAddress",
  reviewApprovalNo: "reviewApprovalNo",
  reviewDate: "reviewDate",
  form: "form",
  use: "use",
  useNote: "useNote",
  startDate: "startDate",
  endDate: "endDate",
  rentKind: "rentPerMu",
  rentPerMu: "rentPerMu",
  stepPercent: "stepPercent",
  stepEveryYears: "stepEveryYears",
  paymentTiming: "paymentTiming",
  paymentMonthDay: "paymentMonthDay",
  instalmentsPerYear: "instalmentsPerYear",
  riskDeposit: "riskDeposit",
  penaltyPerTenThousand: "penaltyPerTenThousand",
};

const DATE_KEYS = new Set<ContractKey>(["reviewDate", "startDate", "endDate", "signedDate", "filedDate"]);

export function checkContractRows(table: RawTable, index: Record<string, number>, ctx: ContractImportContext): ContractCheck {
  const cells = new Cells(table, index, "CONTRACTS");
  const errors = new ErrorCollector();
  const fileErrors = headingProblems("CONTRACTS", table, index);
  for (const e of fileErrors) errors.add(table.headerRowNumber, null, e.key, e.params);
  const col = (key: string) => cells.heading(key);
  const get = (row: Row, key: string) => cells.get(row, key);

  const plotByCode = new Map(ctx.plots.map((p) => [p.parcelCode, p]));
  const plotById = new Map(ctx.plots.map((p) => [p.id, p]));
  const existingByNo = new Map<string, number>();
  for (const c of ctx.existingContracts) {
    existingByNo.set(c.draftNo, c.id);
    if (c.contractNo) existingByNo.set(c.contractNo, c.id);
  }
  const dbLines = new Map<number, { start: string; end: string; area: string; label: string }[]>();
  for (const l of ctx.activeLines) {
    const list = dbLines.get(l.plotId) ?? [];
    list.push({ start: l.startDate, end: l.endDate, area: l.area, label: l.contractNo ?? "" });
    dbLines.set(l.plotId, list);
  }
  // Lines of the file's contracts checked so far, which later contracts must leave room for.
  const fileLines = new Map<number, { start: string; end: string; area: string; label: string }[]>();

  // ─── Group the rows by contract number ───
  const groups: { no: string; rows: Row[] }[] = [];
  const byNo = new Map<string, { no: string; rows: Row[] }>();
  for (const row of table.rows) {
    const no = get(row, "contractNo").normalize("NFKC").replace(/\s+/g, "");
    if (!no) {
      if (!missingRequired("CONTRACTS", index, "contractNo")) errors.add(row.rowNumber, col("contractNo"), "contract.contractNoRequired");
      continue;
    }
    let g = byNo.get(no);
    if (!g) {
      g = { no, rows: [] };
      byNo.set(no, g);
      groups.push(g);
    }
    g.rows.push(row);
  }

  const planned: PlannedContract[] = [];
  let lineCount = 0;
  for (const g of groups) {
    lineCount += g.rows.length;
    const first = g.rows[0]!;
    const rowNumbers = g.rows.map((r) => r.rowNumber);
    const existingId = existingByNo.get(g.no);
    if (existingId !== undefined) {
      planned.push({
        rowNumbers,
        existingId,
        action: "unchanged",
        contractNo: g.no,
        signedDate: null,
        filedDate: null,
        input: null,
        lines: [],
        payments: [],
        changes: [],
        notes: [{ key: "import.contract.existingNotUpdated", params: { no: g.no } }],
      });
      continue;
    }

    // Contract-level values: the first non-empty one; another row saying otherwise is an error.
    const value: Partial<Record<ContractKey, { text: string; row: Row }>> = {};
    for (const key of CONTRACT_KEYS) {
      if (!cells.has(key)) continue;
      for (const r of g.rows) {
        const text = get(r, key);
        if (!text) continue;
        const seen = value[key];
        if (!seen) value[key] = { text, row: r };
        else if (!sameContractValue(key, seen.text, text)) {
          errors.add(r.rowNumber, col(key), "import.contract.conflict", { row: seen.row.rowNumber, contract: g.no, a: seen.text, b: text });
        }
      }
    }
    const src = (key: ContractKey) => value[key]?.row ?? first;
    const text = (key: ContractKey) => value[key]?.text ?? "";
    const raw: RawForm = { villageSigns: "" };

    const enumValue = <T extends string>(key: ContractKey, table: { map: Map<string, T>; shown: string[] }): T | "" => {
      const t = text(key);
      if (!t) return "";
      const v = lookupWord(table, t);
      if (!v) errors.add(src(key).rowNumber, col(key), "import.value.unknown", { value: t, accepted: table.shown.join("、") });
      return v ?? "";
    };
    raw.form = enumValue("form", FORM_WORDS);
    raw.use = enumValue("use", USE_WORDS);
    if (text("use") && !raw.use) raw.use = "OTHER_AGRI"; // reported above; keep the form from calling it non-agricultural
    if (text("form") && !raw.form) raw.form = "OTHER";
    const kind = enumValue("transfereeKind", TRANSFEREE_KIND_WORDS);
    raw.transfereeKind = kind || (text("transfereeKind") ? "OTHER" : "");
    for (const k of ["transfereeName", "transfereeRep", "transfereePhone", "transfereeAddress", "reviewApprovalNo", "useNote"] as const) raw[k] = text(k);
    raw.transfereeCode = normalizeCode(text("transfereeCode"));
    if (raw.transfereeCode && cells.lostDigits(src("transfereeCode"), "transfereeCode")) errors.add(src("transfereeCode").rowNumber, col("transfereeCode"), "import.lostDigits");
    if (kind === "COOPERATIVE") {
      const name = normalizeWord(text("transfereeName"));
      const coop = ctx.cooperatives.find((c) => normalizeWord(c.name) === name || (raw.transfereeCode && c.creditCode === raw.transfereeCode));
      if (coop) raw.cooperativeId = String(coop.id);
      else if (text("transfereeName")) errors.add(src("transfereeName").rowNumber, col("transfereeName"), "import.contract.cooperativeNotFound", { name: text("transfereeName") });
    }

    // Dates
    const dates: Partial<Record<ContractKey, string>> = {};
    for (const key of DATE_KEYS) {
      const t = text(key);
      if (!t) continue;
      const d = parseImportDate(t);
      if (d) dates[key] = d;
      else errors.add(src(key).rowNumber, col(key), "import.date.invalid", { value: t });
    }
    raw.startDate = dates.startDate ?? "";
    raw.endDate = dates.endDate ?? "";
    raw.reviewDate = dates.reviewDate ?? "";
    const signedDate = dates.signedDate ?? null;
    const filedDate = dates.filedDate ?? null;
    if (!text("signedDate") && !missingRequired("CONTRACTS", index, "signedDate")) errors.add(first.rowNumber, col("signedDate"), "contract.dateRequired");
    if (signedDate && signedDate > ctx.today) errors.add(src("signedDate").rowNumber, col("signedDate"), "import.date.future", { today: ctx.today });
    if (filedDate && filedDate > ctx.today) errors.add(src("filedDate").rowNumber, col("filedDate"), "import.date.future", { today: ctx.today });
    if (filedDate && signedDate && filedDate < signedDate) errors.add(src("filedDate").rowNumber, col("filedDate"), "import.contract.filedBeforeSigned", { signed: signedDate });

    // Rent: cash only. An equity share (入股) has none: its return is the cooperative's dividend.
    const equity = raw.form === "EQUITY";
    const rentKind = text("rentKind") ? lookupWord(RENT_KIND_WORDS, text("rentKind")) : null;
    const rentText = text("rentPerMu");
    if (equity) {
      // rent columns are ignored for an equity contract (parseContractForm does the same)
    } else if (rentKind === "IN_KIND" || /斤|公斤|kg/i.test(rentText)) {
      const key: ContractKey = rentKind === "IN_KIND" ? "rentKind" : "rentPerMu";
      errors.add(src(key).rowNumber, col(key), "import.contract.inKind");
    } else if (text("rentKind") && !rentKind) {
      errors.add(src("rentKind").rowNumber, col("rentKind"), "import.value.unknown", { value: text("rentKind"), accepted: "现金" });
    }
    raw.rentKind = "CASH";
    raw.rentPerMu = cleanNumber(rentText);

    // Payment timing
    const timingText = text("paymentTiming");
    const timing = timingText ? parseTiming(timingText) : null;
    if (timingText && !timing) errors.add(src("paymentTiming").rowNumber, col("paymentTiming"), "import.value.unknown", { value: timingText, accepted: TIMING_WORDS.shown.join("、") });
    raw.paymentTiming = timing?.timing ?? (timingText ? "YEARLY" : "");
    const mdText = text("paymentMonthDay");
    raw.paymentMonthDay = mdText ? (parseMonthDay(mdText) ?? mdText) : "";
    raw.instalmentsPerYear = cleanNumber(text("instalmentsPerYear")) || (timing?.perYear ? String(timing.perYear) : "");
    raw.stepPercent = cleanNumber(text("stepPercent"));
    raw.stepEveryYears = cleanNumber(text("stepEveryYears")).replace(/年$/, "");
    raw.riskDeposit = cleanNumber(text("riskDeposit"));
    raw.penaltyPerTenThousand = cleanNumber(text("penaltyPerTenThousand"));

    // Plot lines
    g.rows.forEach((r, i) => {
      const code = normalizeCode(get(r, "parcelCode"));
      let plotId = "";
      if (code) {
        const plot = plotByCode.get(code);
        if (plot) plotId = String(plot.id);
        else errors.add(r.rowNumber, col("parcelCode"), cells.lostDigits(r, "parcelCode") || looksLikeLostDigits(code) ? "import.lostDigits" : "import.contract.plotNotFound", { code });
      } else if (!missingRequired("CONTRACTS", index, "parcelCode")) errors.add(r.rowNumber, col("parcelCode"), "parcel.required");
      raw[`lines.${i}.plotId`] = plotId;
      raw[`lines.${i}.area`] = cleanNumber(get(r, "area"));
    });

    const parsed = parseContractForm(raw);
    const report = (fieldErrors: FieldErrors) => {
      for (const [field, e] of Object.entries(fieldErrors)) {
        const m = /^lines\.(\d+)\.(plotId|area)$/.exec(field);
        if (m) {
          const r = g.rows[Number(m[1])]!;
          const key = m[2] === "plotId" ? "parcelCode" : "area";
          if (!missingRequired("CONTRACTS", index, key)) errors.add(r.rowNumber, col(key), e.key, e.params);
          continue;
        }
        const key = FIELD_COLUMN[field];
        if (!key) {
          errors.add(first.rowNumber, null, e.key, e.params);
          continue;
        }
        if (missingRequired("CONTRACTS", index, key)) continue;
        errors.add(src(key).rowNumber, col(key), e.key, e.params);
      }
    };
    if (!parsed.ok) {
      report(parsed.errors);
      continue;
    }
    const input = parsed.value;

    // The plots: term, basic farmland, free area against the database and the file's earlier contracts
    const period = { start: input.startDate, end: input.endDate };
    const plotChecks = new Map<number, { contractEnd: string; contractArea: string; basicFarmland: boolean; overlapping: { contract: string; area: string }[] }>();
    for (const line of input.lines) {
      const plot = plotById.get(line.plotId);
      if (!plot) continue;
      const overlapping: { contract: string; area: string }[] = [];
      for (const l of dbLines.get(plot.id) ?? []) if (periodsOverlap(period, l)) overlapping.push({ contract: l.label, area: l.area });
      for (const l of fileLines.get(plot.id) ?? []) if (periodsOverlap(period, l)) overlapping.push({ contract: l.label, area: l.area });
      plotChecks.set(plot.id, { contractEnd: plot.contractEnd, contractArea: plot.contractArea, basicFarmland: plot.basicFarmland, overlapping });
    }
    report(checkLinesAgainstPlots(input, plotChecks));

    // Payments already made
    const lineByRow = new Map(input.lines.map((l) => [l.row, { rowNumber: g.rows[l.row]!.rowNumber, plotId: l.plotId, householdId: plotById.get(l.plotId)?.householdId ?? 0, area: l.area }]));
    const lines = [...lineByRow.values()];
    const payments: PlannedContract["payments"] = [];
    const from = signedDate && signedDate < input.startDate ? signedDate : input.startDate;
    g.rows.forEach((r, i) => {
      const amountText = cleanNumber(get(r, "paidAmount"));
      const dateText = get(r, "paidOn");
      if (!amountText) {
        if (dateText) errors.add(r.rowNumber, col("paidAmount"), "import.payment.amountRequired");
        return;
      }
      const amount = parseYuan(amountText);
      if (!amount.ok) {
        errors.add(r.rowNumber, col("paidAmount"), amount.error);
        return;
      }
      if (amount.value.isZero()) return;
      if (equity) {
        // Rent paid under an equity contract would be counted once as rent and again in the dividend.
        errors.add(r.rowNumber, col("paidAmount"), "import.contract.equityPayments");
        return;
      }
      if (!dateText) {
        errors.add(r.rowNumber, col("paidOn"), "import.payment.dateRequired");
        return;
      }
      const paidOn = parseImportDate(dateText);
      if (!paidOn) errors.add(r.rowNumber, col("paidOn"), "import.date.invalid", { value: dateText });
      else if (paidOn > ctx.today) errors.add(r.rowNumber, col("paidOn"), "import.date.future", { today: ctx.today });
      else if (paidOn < from || paidOn > input.endDate) errors.add(r.rowNumber, col("paidOn"), "import.payment.outsideTerm", { start: from, end: input.endDate });
      else if (lineByRow.has(i)) payments.push({ rowNumber: r.rowNumber, householdId: lineByRow.get(i)!.householdId, amountFen: toFen(amount.value), paidOn });
    });
    if (payments.length) {
      const due = rentDuePerHousehold(input, lines);
      const paid = new Map<number, bigint>();
      for (const p of payments) paid.set(p.householdId, (paid.get(p.householdId) ?? 0n) + p.amountFen);
      for (const [householdId, total] of paid) {
        const d = due?.get(householdId);
        if (d === undefined || total <= d) continue;
        for (const p of payments) {
          if (p.householdId !== householdId) continue;
          errors.add(p.rowNumber, col("paidAmount"), "import.payment.exceedsRent", { paid: yuan(total), due: yuan(d) });
        }
      }
    }

    if (rowNumbers.some((rn) => errors.has(rn))) continue;
    // Only a contract without errors takes land from the later ones, so that one mistake does not cascade.
    for (const line of input.lines) {
      const list = fileLines.get(line.plotId) ?? [];
      list.push({ start: input.startDate, end: input.endDate, area: line.area, label: `${g.no}（第 ${g.rows[line.row]!.rowNumber} 行）` });
      fileLines.set(line.plotId, list);
    }
    planned.push({
      rowNumbers,
      existingId: null,
      action: "create",
      contractNo: g.no,
      signedDate,
      filedDate,
      input,
      lines,
      payments,
      changes: [],
      notes: [],
    });
  }

  return {
    rowErrors: errors.sorted(),
    fileErrors,
    contracts: planned,
    counts: {
      rows: table.rows.length,
      contracts: groups.length,
      lines: lineCount,
      create: planned.filter((p) => p.action === "create").length,
      update: 0,
      unchanged: planned.filter((p) => p.action === "unchanged").length,
    },
  };
}

function sameContractValue(key: ContractKey, a: string, b: string): boolean {
  if (DATE_KEYS.has(key)) {
    const x = parseImportDate(a);
    return x !== null && x === parseImportDate(b);
  }
  if (key === "rentPerMu" || key === "riskDeposit" || key === "stepPercent" || key === "penaltyPerTenThousand") {
    try {
      return new Decimal(cleanNumber(a)).eq(cleanNumber(b));
    } catch {
      return sameText(a, b);
    }
  }
  if (key === "transfereeCode") return normalizeCode(a) === normalizeCode(b);
  return sameText(a, b);
}

/** The whole term's rent of each household under the contract, by the schedule's own rule; null if it cannot be computed. */
function rentDuePerHousehold(input: ContractInput, lines: { householdId: number; area: string }[]): Map<number, bigint> | null {
  const areas = new Map<number, Decimal>();
  for (const l of lines) areas.set(l.householdId, (areas.get(l.householdId) ?? new Decimal(0)).plus(l.area));
  const payment: ScheduleInput["payment"] =
    input.paymentTiming === "YEARLY" ? { timing: "YEARLY", monthDay: input.paymentMonthDay ?? "12-31" }
    : input.paymentTiming === "INSTALMENTS" ? { timing: "INSTALMENTS", perYear: (input.instalmentsPerYear ?? 2) as 2 | 3 | 4 | 12 }
    : { timing: input.paymentTiming };
  try {
    const s = generateSchedule({
      startDate: input.startDate,
      endDate: input.endDate,
      rent: { kind: "CASH", yuanPerMu: input.rentPerMu! },
      step: input.stepPercent && input.stepEveryYears ? { percent: input.stepPercent, everyYears: input.stepEveryYears } : null,
      payment,
      parties: [...areas.entries()].map(([householdId, a]) => ({ householdId, areaMu: a.toFixed(2) })),
    });
    const due = new Map<number, bigint>();
    for (const i of s.installments) due.set(i.householdId, (due.get(i.householdId) ?? 0n) + (i.amountFen ?? 0n));
    return due;
  } catch {
    return null;
  }
}
