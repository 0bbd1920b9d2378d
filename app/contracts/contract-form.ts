import { Decimal, parseArea, parseYuan, toFen } from "~/lib/money";
import { checkCreditCode } from "~/registry/credit-code";
import { isValidDate } from "~/lib/dates";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { checkIdNumber } from "~/registry/id-number";
import { checkPhone } from "~/registry/phone";

/**
 * The transfer contract form: pure validation shared by the create and edit
 * actions and the importer. Database checks (plot ownership, free area,
 * overlapping transfers, plot contract terms) follow in contracts.server.ts.
 */
export const FORMS = ["LEASE", "SUBCONTRACT", "EQUITY", "TRANSFER", "SWAP", "OTHER"] as const;
export const USES = ["GRAIN", "ORCHARD", "NURSERY", "VEGETABLE", "FISH_POND", "LIVESTOCK", "OTHER_AGRI"] as const;
export const TRANSFEREE_KINDS = ["COOPERATIVE", "ENTERPRISE", "GROWER", "OTHER"] as const;
export const TIMINGS = ["ONCE", "YEARLY", "ADVANCE", "INSTALMENTS"] as const;
export const CROPS = ["WHEAT", "CORN"] as const;
export const PRICE_BASES = ["MARKET", "MINIMUM_PURCHASE"] as const;
/** Orchards and fish ponds are not allowed on permanent basic farmland (model contract GF-2021-2606). */
export const USES_BARRED_ON_BASIC_FARMLAND: readonly string[] = ["ORCHARD", "FISH_POND"];
/** Art. 42 and the model contract's reasons for ending a contract early. */
export const PAYMENT_METHODS = ["BANK", "CASH", "OTHER"] as const;
/**
 * Upper bounds of the contract's quantities that are not money (money goes
 * through parseYuan's 10亿元 bound): a wheat field yields about 1,000 jin a
 * mu, and a reference price is a few yuan a jin. Anything above is a typing
 * slip, and would make rent amounts no column can hold.
 */
export const MAX_JIN_PER_MU = 10_000;
export const MAX_PRICE_YUAN_PER_JIN = 1_000;

/** 入股: the household's return is the cooperative's dividend run (guarantee + surplus), never rent. */
export const isEquity = (form: string | null | undefined) => form === "EQUITY";

export const TERMINATION_REASONS = ["CHANGED_USE", "IDLE_TWO_YEARS", "SERIOUS_DAMAGE", "MUTUAL_AGREEMENT", "TRANSFEREE_BREACH", "OTHER_LEGAL"] as const;

// Words that announce a non-farm use in the free-text note: the law forbids it (Art. 38).
const NON_FARM = /建房|住宅|厂房|工厂|仓储|仓库|物流|停车|商业|商铺|工业|采矿|采砂|取土|砖窑|窑|墓|坟|殡葬|光伏电站|房地产/;

export type Form = (typeof FORMS)[number];
export type Use = (typeof USES)[number];

export interface ContractLineInput {
  row: number;
  plotId: number;
  area: string;
}

export interface ContractInput {
  transfereeKind: (typeof TRANSFEREE_KINDS)[number];
  cooperativeId: number | null;
  transfereeName: string;
  transfereeEntityType: string;
  transfereeCode: string;
  transfereeRep: string;
  transfereeAddress: string;
  transfereePhone: string;
  reviewApprovalNo: string;
  reviewDate: string | null;
  form: Form;
  use: Use;
  useNote: string;
  startDate: string;
  endDate: string;
  rentKind: "CASH" | "IN_KIND";
  rentPerMu: string | null;
  inKindCrop: (typeof CROPS)[number] | null;
  inKindJinPerMu: string | null;
  priceBasis: (typeof PRICE_BASES)[number] | null;
  stepPercent: string | null;
  stepEveryYears: number | null;
  paymentTiming: (typeof TIMINGS)[number];
  paymentMonthDay: string | null;
  instalmentsPerYear: number | null;
  riskDepositFen: bigint | null;
  penaltyPerTenThousand: string;
  villageSigns: boolean;
  entrustments: Record<number, { no: string; date: string | null }>;
  lines: ContractLineInput[];
}

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): v is T => !!v && (list as readonly string[]).includes(v);

export function parseContractForm(raw: RawForm): { ok: true; value: ContractInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const s = (k: string, max = 100) => {
    const v = (raw[k] ?? "").trim();
    if (v.length > max) errors[k] = { key: "text.tooLong", params: { max } };
    return v;
  };
  const date = (k: string, required: boolean) => {
    const v = s(k);
    if (!v) {
      if (required) errors[k] = { key: "contract.dateRequired" };
      return null;
    }
    if (!isValidDate(v)) {
      errors[k] = { key: "date.format" };
      return null;
    }
    return v;
  };

  // Transferee
  const kind = raw.transfereeKind;
  if (!oneOf(TRANSFEREE_KINDS, kind)) errors.transfereeKind = { key: "contract.transfereeKindRequired" };
  let cooperativeId: number | null = null;
  const transfereeName = s("transfereeName", 60);
  let transfereeCode = s("transfereeCode", 18).toUpperCase();
  if (kind === "COOPERATIVE") {
    cooperativeId = /^\d{1,9}$/.test(raw.cooperativeId ?? "") ? Number(raw.cooperativeId) : null;
    if (!cooperativeId) errors.cooperativeId = { key: "contract.cooperativeRequired" };
  } else if (kind) {
    if (!transfereeName) errors.transfereeName = { key: "name.required" };
    if (!transfereeCode) errors.transfereeCode = { key: "contract.transfereeCodeRequired" };
    else if (kind === "ENTERPRISE") {
      const c = checkCreditCode(transfereeCode);
      if (c.ok) transfereeCode = c.code;
      else errors.transfereeCode = { key: c.error };
    } else {
      // A grower is a person (ID number) or an organisation (credit code).
      const id = checkIdNumber(transfereeCode);
      const c = checkCreditCode(transfereeCode);
      if (id.ok) transfereeCode = id.id;
      else if (c.ok) transfereeCode = c.code;
      else errors.transfereeCode = { key: "contract.transfereeCodeInvalid" };
    }
  }
  let transfereePhone = s("transfereePhone", 20);
  if (transfereePhone) {
    const p = checkPhone(transfereePhone);
    if (p.ok) transfereePhone = p.phone;
    else errors.transfereePhone = { key: p.error };
  }
  const reviewApprovalNo = s("reviewApprovalNo", 40);
  const reviewDate = date("reviewDate", false);
  if (kind === "ENTERPRISE") {
    // Outside capital needs the county's qualification and project review (Art. 45).
    if (!reviewApprovalNo) errors.reviewApprovalNo = { key: "contract.reviewRequired" };
    if (!reviewDate && !errors.reviewDate) errors.reviewDate = { key: "contract.reviewRequired" };
  }

  // Form, use, term
  const form = raw.form;
  if (!oneOf(FORMS, form)) errors.form = { key: "contract.formRequired" };
  const use = raw.use;
  if (!oneOf(USES, use)) errors.use = { key: "contract.useNonAgricultural" };
  const useNote = s("useNote", 100);
  if (NON_FARM.test(useNote)) errors.useNote = { key: "contract.useNonAgricultural" };
  const startDate = date("startDate", true);
  const endDate = date("endDate", true);
  if (startDate && endDate && endDate <= startDate) errors.endDate = { key: "contract.endBeforeStart" };

  // Rent. An equity contract has none: its rent fields are ignored (the form hides them).
  const equity = isEquity(form);
  const rentKind = equity ? "CASH" : raw.rentKind;
  let rentPerMu: string | null = null;
  let inKindCrop: ContractInput["inKindCrop"] = null;
  let inKindJinPerMu: string | null = null;
  let priceBasis: ContractInput["priceBasis"] = null;
  if (equity) {
    // nothing to check: no rent, no schedule, no penalty
  } else if (rentKind === "CASH") {
    const r = parseYuan(raw.rentPerMu ?? "");
    if (!r.ok) errors.rentPerMu = { key: r.error };
    else if (r.value.isZero()) errors.rentPerMu = { key: "contract.rentZero" };
    else rentPerMu = r.value.toFixed(2);
  } else if (rentKind === "IN_KIND") {
    if (!oneOf(CROPS, raw.inKindCrop)) errors.inKindCrop = { key: "contract.cropRequired" };
    else inKindCrop = raw.inKindCrop;
    const j = parseArea(raw.inKindJinPerMu ?? "");
    if (!j.ok) errors.inKindJinPerMu = { key: j.error === "area.required" ? "contract.jinRequired" : "contract.jinInvalid" };
    else if (j.value.gt(MAX_JIN_PER_MU)) errors.inKindJinPerMu = { key: "contract.jinTooLarge", params: { max: MAX_JIN_PER_MU } };
    else inKindJinPerMu = j.value.toFixed(2);
    if (!oneOf(PRICE_BASES, raw.priceBasis)) errors.priceBasis = { key: "contract.priceBasisRequired" };
    else priceBasis = raw.priceBasis;
  } else errors.rentKind = { key: "contract.rentKindRequired" };

  let stepPercent: string | null = null;
  let stepEveryYears: number | null = null;
  if (!equity && (raw.stepPercent ?? "").trim()) {
    const p = parseYuan(raw.stepPercent ?? "");
    if (!p.ok || p.value.gt(100)) errors.stepPercent = { key: "contract.stepInvalid" };
    else stepPercent = p.value.toFixed(2);
    const y = Number(raw.stepEveryYears);
    if (!Number.isInteger(y) || y < 1 || y > 30) errors.stepEveryYears = { key: "contract.stepYearsInvalid" };
    else stepEveryYears = y;
  }

  const timing = raw.paymentTiming;
  let paymentMonthDay: string | null = null;
  let instalmentsPerYear: number | null = null;
  if (equity) {
    // dividends are paid yearly by the cooperative's run; the timing is not the contract's
  } else if (!oneOf(TIMINGS, timing)) errors.paymentTiming = { key: "contract.timingRequired" };
  else if (timing === "YEARLY") {
    const md = (raw.paymentMonthDay ?? "").trim();
    if (!/^\d{2}-\d{2}$/.test(md) || !isValidDate(`2023-${md}`)) errors.paymentMonthDay = { key: "contract.monthDayInvalid" };
    else paymentMonthDay = md;
  } else if (timing === "INSTALMENTS") {
    const n = Number(raw.instalmentsPerYear);
    if (![2, 3, 4, 12].includes(n)) errors.instalmentsPerYear = { key: "contract.instalmentsInvalid" };
    else instalmentsPerYear = n;
  }

  let riskDepositFen: bigint | null = null;
  if ((raw.riskDeposit ?? "").trim()) {
    const d = parseYuan(raw.riskDeposit ?? "");
    if (!d.ok) errors.riskDeposit = { key: d.error };
    else riskDepositFen = toFen(d.value);
  }
  let penaltyPerTenThousand = "0";
  if (!equity && (raw.penaltyPerTenThousand ?? "").trim()) {
    const p = parseYuan(raw.penaltyPerTenThousand ?? "");
    if (!p.ok || p.value.gt(100)) errors.penaltyPerTenThousand = { key: "contract.penaltyInvalid" };
    else penaltyPerTenThousand = p.value.toString();
  }

  // Plot lines: "lines.N.plotId" / "lines.N.area"; blank rows are ignored.
  const rows = new Set<number>();
  for (const k of Object.keys(raw)) {
    const m = /^lines\.(\d{1,3})\./.exec(k);
    if (m) rows.add(Number(m[1]));
  }
  const lines: ContractLineInput[] = [];
  const seenPlots = new Set<number>();
  for (const row of [...rows].sort((a, b) => a - b)) {
    const plotRaw = (raw[`lines.${row}.plotId`] ?? "").trim();
    const areaRaw = (raw[`lines.${row}.area`] ?? "").trim();
    if (!plotRaw && !areaRaw) continue;
    const plotId = /^\d{1,9}$/.test(plotRaw) ? Number(plotRaw) : 0;
    if (!plotId) errors[`lines.${row}.plotId`] = { key: "contract.plotRequired" };
    else if (seenPlots.has(plotId)) errors[`lines.${row}.plotId`] = { key: "contract.plotTwice" };
    seenPlots.add(plotId);
    const a = parseArea(areaRaw);
    if (!a.ok) errors[`lines.${row}.area`] = { key: a.error };
    lines.push({ row, plotId, area: a.ok ? a.value.toFixed(2) : "0" });
  }
  if (lines.length === 0) errors.lines = { key: "contract.linesRequired" };

  const villageSigns = raw.villageSigns === "on" || raw.villageSigns === "true";
  const entrustments: ContractInput["entrustments"] = {};
  for (const k of Object.keys(raw)) {
    const m = /^entrust\.(\d{1,9})\.no$/.exec(k);
    if (!m) continue;
    const hid = Number(m[1]);
    const no = (raw[k] ?? "").trim();
    const d = (raw[`entrust.${hid}.date`] ?? "").trim();
    if (d && !isValidDate(d)) errors[`entrust.${hid}.date`] = { key: "date.format" };
    entrustments[hid] = { no, date: d && isValidDate(d) ? d : null };
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      transfereeKind: kind as ContractInput["transfereeKind"],
      cooperativeId,
      transfereeName,
      transfereeEntityType: s("transfereeEntityType", 40),
      transfereeCode: kind === "COOPERATIVE" ? "" : transfereeCode,
      transfereeRep: s("transfereeRep", 20),
      transfereeAddress: s("transfereeAddress", 100),
      transfereePhone,
      reviewApprovalNo,
      reviewDate,
      form: form as Form,
      use: use as Use,
      useNote,
      startDate: startDate!,
      endDate: endDate!,
      rentKind: rentKind as "CASH" | "IN_KIND",
      rentPerMu,
      inKindCrop,
      inKindJinPerMu,
      priceBasis,
      stepPercent,
      stepEveryYears,
      paymentTiming: equity ? "YEARLY" : (timing as ContractInput["paymentTiming"]),
      paymentMonthDay,
      instalmentsPerYear,
      riskDepositFen,
      penaltyPerTenThousand,
      villageSigns,
      entrustments,
      lines,
    },
  };
}

/** Sum of decimal-string areas, exact. */
export function sumAreas(areas: string[]): Decimal {
  return areas.reduce((s, a) => s.plus(a), new Decimal(0));
}

/**
 * Checks of a contract against its plots, given what the database says about
 * them. Pure, so that the importer and the form share it. `taken` is the area
 * of each plot already transferred for a period overlapping this contract.
 */
export function checkLinesAgainstPlots(
  input: { endDate: string; use: string; lines: ContractLineInput[] },
  plots: Map<number, { contractEnd: string; contractArea: string; basicFarmland: boolean; overlapping: { contract: string; area: string }[] }>,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const line of input.lines) {
    const plot = plots.get(line.plotId);
    const f = `lines.${line.row}`;
    if (!plot) {
      errors[`${f}.plotId`] = { key: "contract.plotNotInVillage" };
      continue;
    }
    if (input.endDate > plot.contractEnd) errors[`${f}.plotId`] = { key: "contract.termPastPlot", params: { date: plot.contractEnd } };
    if (plot.basicFarmland && USES_BARRED_ON_BASIC_FARMLAND.includes(input.use)) errors[`${f}.plotId`] = { key: "contract.useOnBasicFarmland" };
    const taken = sumAreas(plot.overlapping.map((o) => o.area));
    const free = new Decimal(plot.contractArea).minus(taken);
    if (new Decimal(line.area).gt(free)) {
      errors[`${f}.area`] = plot.overlapping.length
        ? { key: "contract.plotAlreadyTransferred", params: { free: free.toFixed(2), contracts: plot.overlapping.map((o) => o.contract).join("、") } }
        : { key: "contract.areaExceedsPlot", params: { free: free.toFixed(2) } };
    }
  }
  return errors;
}
