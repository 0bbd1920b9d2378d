import { describe, expect, it } from "vitest";
import { checkLinesAgainstPlots, MAX_JIN_PER_MU, parseContractForm } from "./contract-form";
import { MAX_PLOT_AREA_MU, parsePlotForm } from "./plot-form";
import { checkParcelCode, villageParcelPrefix } from "./parcel-code";
import { effectiveStatus, holdsUntil, periodsOverlap } from "./status";

const valid = {
  transfereeKind: "COOPERATIVE",
  cooperativeId: "1",
  form: "LEASE",
  use: "ORCHARD",
  startDate: "2026-01-01",
  endDate: "2035-12-31",
  rentKind: "CASH",
  rentPerMu: "800",
  paymentTiming: "YEARLY",
  paymentMonthDay: "12-31",
  penaltyPerTenThousand: "5",
  "lines.0.plotId": "10",
  "lines.0.area": "2.50",
  "lines.1.plotId": "11",
  "lines.1.area": "1.2",
};
const errorsOf = (over: Record<string, string>) => {
  const r = parseContractForm({ ...valid, ...over });
  return r.ok ? {} : r.errors;
};

describe("contract form", () => {
  it("accepts a valid cash lease", () => {
    const r = parseContractForm(valid);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.lines).toEqual([{ row: 0, plotId: 10, area: "2.50" }, { row: 1, plotId: 11, area: "1.20" }]);
  });
  it("refuses an end before the start", () => {
    expect(errorsOf({ endDate: "2025-12-31" }).endDate).toEqual({ key: "contract.endBeforeStart" });
    expect(errorsOf({ endDate: "2026-01-01" }).endDate).toEqual({ key: "contract.endBeforeStart" });
  });
  it("refuses negative or malformed rent", () => {
    expect(errorsOf({ rentPerMu: "-800" }).rentPerMu).toEqual({ key: "money.negative" });
    expect(errorsOf({ rentPerMu: "八百" }).rentPerMu).toEqual({ key: "money.malformed" });
    expect(errorsOf({ rentPerMu: "800.123" }).rentPerMu).toEqual({ key: "money.precision" });
    expect(errorsOf({ rentPerMu: "0" }).rentPerMu).toEqual({ key: "contract.rentZero" });
  });
  it("refuses a non-agricultural use, by choice or in the note", () => {
    expect(errorsOf({ use: "FACTORY" }).use).toEqual({ key: "contract.useNonAgricultural" });
    expect(errorsOf({ useNote: "建设仓储物流园" }).useNote).toEqual({ key: "contract.useNonAgricultural" });
    expect(errorsOf({ useNote: "黄桃种植" }).useNote).toBeUndefined();
  });
  it("asks outside enterprises for a valid credit code and their review record", () => {
    const e = errorsOf({ transfereeKind: "ENTERPRISE", cooperativeId: "", transfereeName: "菏泽某农业公司", transfereeCode: "91350100M000100Y44" });
    expect(e.transfereeCode).toEqual({ key: "credit.checksum" });
    expect(e.reviewApprovalNo).toEqual({ key: "contract.reviewRequired" });
  });
  it("checks rent in kind", () => {
    const e = errorsOf({ rentKind: "IN_KIND", rentPerMu: "", inKindCrop: "WHEAT", inKindJinPerMu: "-1" });
    expect(e.inKindJinPerMu).toEqual({ key: "contract.jinInvalid" });
    expect(e.priceBasis).toEqual({ key: "contract.priceBasisRequired" });
  });
  it("refuses the same plot twice and a contract with no plots", () => {
    expect(errorsOf({ "lines.1.plotId": "10" })["lines.1.plotId"]).toEqual({ key: "contract.plotTwice" });
    expect(errorsOf({ "lines.0.plotId": "", "lines.0.area": "", "lines.1.plotId": "", "lines.1.area": "" }).lines).toEqual({ key: "contract.linesRequired" });
  });
});

describe("lines against plots", () => {
  const input = { endDate: "2035-12-31", use: "ORCHARD", lines: [{ row: 0, plotId: 10, area: "2.50" }] };
  const plot = { contractEnd: "2057-12-31", contractArea: "3.00", basicFarmland: false, overlapping: [] as { contract: string; area: string }[] };
  it("passes a plot with enough free area", () => {
    expect(checkLinesAgainstPlots(input, new Map([[10, plot]]))).toEqual({});
  });
  it("refuses a term past the plot's contract term", () => {
    expect(checkLinesAgainstPlots(input, new Map([[10, { ...plot, contractEnd: "2028-12-31" }]]))["lines.0.plotId"]).toEqual({
      key: "contract.termPastPlot",
      params: { date: "2028-12-31" },
    });
  });
  it("refuses more area than the plot has", () => {
    expect(checkLinesAgainstPlots({ ...input, lines: [{ row: 0, plotId: 10, area: "3.01" }] }, new Map([[10, plot]]))["lines.0.area"]).toMatchObject({ key: "contract.areaExceedsPlot" });
  });
  it("refuses area already transferred for an overlapping period", () => {
    const taken = { ...plot, overlapping: [{ contract: "XL-2025-001", area: "1.00" }] };
    expect(checkLinesAgainstPlots(input, new Map([[10, taken]]))["lines.0.area"]).toEqual({
      key: "contract.plotAlreadyTransferred",
      params: { free: "2.00", contracts: "XL-2025-001" },
    });
  });
  it("refuses an orchard on permanent basic farmland", () => {
    expect(checkLinesAgainstPlots(input, new Map([[10, { ...plot, basicFarmland: true }]]))["lines.0.plotId"]).toEqual({ key: "contract.useOnBasicFarmland" });
    expect(checkLinesAgainstPlots({ ...input, use: "GRAIN" }, new Map([[10, { ...plot, basicFarmland: true }]]))).toEqual({});
  });
  it("refuses a plot of another village", () => {
    expect(checkLinesAgainstPlots(input, new Map())["lines.0.plotId"]).toEqual({ key: "contract.plotNotInVillage" });
  });
});

describe("parcel codes", () => {
  const expected = { villagePrefix: villageParcelPrefix("371702102000", "001"), groupNumber: "02" };
  it("accepts a code of its village and group", () => {
    expect(checkParcelCode("3717021020010200007", expected)).toEqual({ ok: true, code: "3717021020010200007" });
  });
  it("names what does not match", () => {
    expect(checkParcelCode("3717021020020200007", expected)).toEqual({ ok: false, error: "parcel.village" });
    expect(checkParcelCode("3717021020010100007", expected)).toEqual({ ok: false, error: "parcel.group" });
    expect(checkParcelCode("37170210200102", expected)).toEqual({ ok: false, error: "parcel.format" });
  });
});

describe("status", () => {
  const c = { status: "FILED", startDate: "2026-01-01", endDate: "2030-12-31" };
  it("derives active and expired from the dates of a filed contract", () => {
    expect(effectiveStatus(c, "2025-12-31")).toBe("FILED");
    expect(effectiveStatus(c, "2026-01-01")).toBe("ACTIVE");
    expect(effectiveStatus(c, "2030-12-31")).toBe("ACTIVE");
    expect(effectiveStatus(c, "2031-01-01")).toBe("EXPIRED");
    expect(effectiveStatus({ ...c, status: "TERMINATED" }, "2027-01-01")).toBe("TERMINATED");
  });
  it("holds land until termination", () => {
    expect(holdsUntil({ endDate: "2030-12-31", terminatedOn: "2027-06-30" })).toBe("2027-06-30");
    expect(periodsOverlap({ start: "2026-01-01", end: "2027-06-30" }, { start: "2027-07-01", end: "2030-01-01" })).toBe(false);
    expect(periodsOverlap({ start: "2026-01-01", end: "2027-07-01" }, { start: "2027-07-01", end: "2030-01-01" })).toBe(true);
  });
});

describe("equity contracts and upper bounds (issue 11, items 4 and 11)", () => {
  it("an equity contract asks for no rent: rent fields are ignored, and nothing makes a schedule", () => {
    const r = parseContractForm({ ...valid, form: "EQUITY", rentKind: "", rentPerMu: "", paymentTiming: "", paymentMonthDay: "", penaltyPerTenThousand: "" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ form: "EQUITY", rentPerMu: null, inKindCrop: null, stepPercent: null, penaltyPerTenThousand: "0" });
    const typed = parseContractForm({ ...valid, form: "EQUITY", rentPerMu: "800", penaltyPerTenThousand: "5" });
    expect(typed.ok && typed.value).toMatchObject({ rentPerMu: null, penaltyPerTenThousand: "0" });
  });

  it("bounds the quantities that do not go through parseYuan", () => {
    const inKind = { rentKind: "IN_KIND", rentPerMu: "", inKindCrop: "WHEAT", priceBasis: "MARKET" };
    expect(errorsOf({ ...inKind, inKindJinPerMu: "10000" }).inKindJinPerMu).toBeUndefined();
    expect(errorsOf({ ...inKind, inKindJinPerMu: "10000.01" }).inKindJinPerMu).toEqual({ key: "contract.jinTooLarge", params: { max: MAX_JIN_PER_MU } });
    expect(errorsOf({ ...inKind, inKindJinPerMu: "99999999999999999999" }).inKindJinPerMu).toMatchObject({ key: "contract.jinTooLarge" });
    expect(errorsOf({ rentPerMu: "99999999999999999999" }).rentPerMu).toEqual({ key: "money.tooLarge" });
    expect(errorsOf({ riskDeposit: "1000000000.01" }).riskDeposit).toEqual({ key: "money.tooLarge" });
    const plot = (contractArea: string, measuredArea = "") =>
      parsePlotForm({ parcelCode: "3717021020010100001", groupId: "1", name: "x", category: "CONTRACTED", contractArea, measuredArea, contractEnd: "2057-12-31" });
    expect(plot("10000").ok).toBe(true);
    expect(plot("99999999999999999999")).toMatchObject({ ok: false, errors: { contractArea: { key: "area.tooLarge", params: { max: MAX_PLOT_AREA_MU } } } });
    expect(plot("3", "10000.01")).toMatchObject({ ok: false, errors: { measuredArea: { key: "area.tooLarge" } } });
  });
});
