import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { parseRunForm, type RunFormInput } from "~/dividends/run-form";
import { prisma } from "~/lib/db.server";
import type { RawForm } from "~/lib/forms";
import { request, type World } from "../factories";

/** The signed-in user of a world account. */
export const userOf = async (u: { cookie: string }): Promise<CurrentUser> => (await getUser(request("/", { cookie: u.cookie })))!;

/** An equity-share (入股) contract of a household's plot to C1 (V1); returns the contract's plot row for changing its area. */
export async function equity(w: World, householdId: number, code: string, area: string, start: string, end: string) {
  const groupId = w.v1.groups[0]!.id;
  const plot = await prisma.contractedPlot.create({ data: { townshipId: w.t1.id, villageId: w.v1.id, groupId, householdId, parcelCode: code, name: "入股地", contractArea: area, contractEnd: "2057-12-31" } });
  const c = await prisma.transferContract.create({
    data: {
      townshipId: w.t1.id,
      villageId: w.v1.id,
      draftNo: `EQ-${code}`,
      transfereeKind: "COOPERATIVE",
      cooperativeId: w.c1.id,
      transfereeName: "",
      form: "EQUITY",
      use: "GRAIN",
      startDate: start,
      endDate: end,
      rentKind: "CASH",
      rentPerMu: "1.00",
      paymentTiming: "YEARLY",
      status: "FILED",
      createdById: w.users.secretary.id,
      parties: { create: { householdId } },
      plots: { create: { plotId: plot.id, householdId, area } },
    },
    include: { plots: true },
  });
  return c.plots[0]!;
}

/** A household of V1 with a head and a bank account. */
export async function householdV1(w: World, code: string, headName: string) {
  return prisma.household.create({ data: { code, townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName, bankAccount: `62305800000${code.padStart(8, "0")}` } });
}

/** The run form as parsed from what the accountant types. */
export function runForm(over: RawForm = {}, currentYear = 2026): RunFormInput {
  const r = parseRunForm({ year: "2025", income: "60000", cost: "0", providentPercent: "0", riskPercent: "0", guaranteePerShare: "3000", noticeDays: "7", ...over }, "LAND_SHARE", currentYear);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
