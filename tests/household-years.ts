/**
 * Hand-made household years for the audit's tests. Not a test itself: the
 * audit, PDF and workbook tests build their villages with it.
 */
import type { HouseholdYear } from "~/income/audit";

/** `hh` fills what a test does not say from `defaults`; `reset` restarts the ids at 1. */
export function householdBuilder(defaults: Partial<HouseholdYear> = {}) {
  let nextId = 1;
  const hh = (over: Partial<HouseholdYear> & { code: string }): HouseholdYear => ({
    id: nextId++,
    headName: "某某",
    villageId: 7,
    villageName: "鲁谢庄村",
    status: "ORDINARY",
    statusYear: null,
    members: 3,
    memberDays: 1095,
    daysInYear: 365,
    wageFen: 0n,
    operatingFen: 0n,
    propertyFen: 0n,
    transferFen: 0n,
    previousTotalFen: null,
    arrearsFen: 0n,
    unpaidDividendFen: 0n,
    ...defaults,
    ...over,
  });
  const reset = () => {
    nextId = 1;
  };
  return { hh, reset };
}
