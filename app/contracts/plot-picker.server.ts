import type { Prisma } from "@prisma/client";
import { ownPlace, type Scope } from "~/auth/permissions";
import { requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { isValidDate, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { hasLikeWildcards, literalPieces } from "~/lib/search-text";
import { containsText } from "~/lib/text-match.server";
import { freeArea, type Holding, type Period } from "./free-area";

type VillageScope = Extract<Scope, { kind: "village" }>;

/** One plot the contract form offers: what identifies it and how much of it is free for the contract's period. */
export interface PlotOffer {
  id: number;
  parcelCode: string;
  name: string;
  contractArea: string;
  freeArea: string;
  householdId: number;
  headName: string;
  householdCode: string;
}

export const PICKER_LIMIT = 30;

/**
 * The new contract's period as the form has it so far; while its dates are
 * missing, from today on without end (the least any later period can find free).
 */
export function pickerPeriod(start: string | null | undefined, end: string | null | undefined): Period {
  const s = start && isValidDate(start) ? start : today();
  const e = end && isValidDate(end) && end >= s ? end : "9999-12-31";
  return { start: s, end: e };
}

/**
 * The contracts whose own holding does not count against the form: the one
 * being edited or amended (and, for a draft amendment, the version it amends),
 * when it lies in the user's village.
 */
async function excludedIds(villageId: number, contractId: number | null): Promise<number[]> {
  if (!contractId) return [];
  const c = await prisma.transferContract.findFirst({ where: { id: contractId, villageId }, select: { id: true, amendsId: true, status: true } });
  if (!c) return [];
  return c.status === "DRAFT" && c.amendsId ? [c.id, c.amendsId] : [c.id];
}

const plotSelect = {
  id: true,
  parcelCode: true,
  name: true,
  contractArea: true,
  householdId: true,
  household: { select: { headName: true, code: true } },
} satisfies Prisma.ContractedPlotSelect;

async function withFreeArea(plots: Prisma.ContractedPlotGetPayload<{ select: typeof plotSelect }>[], period: Period, exclude: number[]): Promise<PlotOffer[]> {
  const lines = plots.length
    ? await prisma.contractPlot.findMany({
        where: { plotId: { in: plots.map((p) => p.id) }, ...(exclude.length ? { contractId: { notIn: exclude } } : {}) },
        select: { plotId: true, area: true, contract: { select: { status: true, startDate: true, endDate: true, terminatedOn: true } } },
      })
    : [];
  const byPlot = new Map<number, Holding[]>();
  for (const l of lines) byPlot.set(l.plotId, [...(byPlot.get(l.plotId) ?? []), { area: l.area, ...l.contract }]);
  return plots.map((p) => ({
    id: p.id,
    parcelCode: p.parcelCode,
    name: p.name,
    contractArea: p.contractArea,
    freeArea: freeArea(p.contractArea, byPlot.get(p.id) ?? [], period).toFixed(2),
    householdId: p.householdId,
    headName: p.household.headName,
    householdCode: p.household.code,
  }));
}

/**
 * The plot picker's search: plots of the secretary's own village whose parcel
 * code, name or household head's name holds the text, each with its free
 * area for the period; plots with nothing free are left out.
 */
export async function searchPlotOffers(user: CurrentUser, opts: { q: string; start?: string | null; end?: string | null; contractId?: number | null }): Promise<{ offers: PlotOffer[]; more: boolean }> {
  requireCan(user, "write:contract", ownPlace(user.scope));
  const { villageId } = user.scope as VillageScope;
  const q = opts.q.trim().slice(0, 40);
  const piece = q ? (hasLikeWildcards(q) ? (literalPieces(q)[0] ?? "") : q) : "";
  const where: Prisma.ContractedPlotWhereInput = piece
    ? { villageId, OR: [{ parcelCode: containsText(piece) }, { name: containsText(piece) }, { household: { headName: containsText(piece) } }] }
    : { villageId };
  const candidates = await prisma.contractedPlot.findMany({ where, orderBy: [{ householdId: "asc" }, { parcelCode: "asc" }], take: 400, select: plotSelect });
  const needle = q.toLowerCase();
  const exact = q && hasLikeWildcards(q) ? candidates.filter((p) => [p.parcelCode, p.name, p.household.headName].some((s) => s.toLowerCase().includes(needle))) : candidates;
  const offers = (await withFreeArea(exact, pickerPeriod(opts.start, opts.end), await excludedIds(villageId, opts.contractId ?? null))).filter((o) => Number(o.freeArea) > 0);
  return { offers: offers.slice(0, PICKER_LIMIT), more: offers.length > PICKER_LIMIT };
}

/** The plots a form already names (its lines), with their free area, whatever is free: the form shows what it holds. */
export async function plotOffersByIds(user: CurrentUser, ids: number[], opts: { start?: string | null; end?: string | null; contractId?: number | null }): Promise<PlotOffer[]> {
  requireCan(user, "write:contract", ownPlace(user.scope));
  const { villageId } = user.scope as VillageScope;
  const wanted = [...new Set(ids.filter((n) => Number.isInteger(n) && n > 0))].slice(0, 200);
  if (!wanted.length) return [];
  const plots = await prisma.contractedPlot.findMany({ where: { id: { in: wanted }, villageId }, select: plotSelect });
  return withFreeArea(plots, pickerPeriod(opts.start, opts.end), await excludedIds(villageId, opts.contractId ?? null));
}

/** Query parameters of the form's own controls, never contract fields. */
const CONTROLS = ["plotSearch", "pick", "remove", "mode"];

/** "lines.N.*" renumbered 0.. in order, without the row `drop`. */
function renumberLines(raw: Record<string, string>, drop: number | null): Record<string, string> {
  const rows = [...new Set(Object.keys(raw).flatMap((k) => /^lines\.(\d{1,3})\./.exec(k)?.[1] ?? []).map(Number))].sort((a, b) => a - b);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!k.startsWith("lines.")) out[k] = v;
  let n = 0;
  for (const r of rows) {
    if (r === drop) continue;
    const plotId = raw[`lines.${r}.plotId`] ?? "";
    const area = raw[`lines.${r}.area`] ?? "";
    if (!plotId && !area) continue;
    out[`lines.${n}.plotId`] = plotId;
    out[`lines.${n}.area`] = area;
    n++;
  }
  return out;
}

export const lineIdsOf = (raw: Record<string, string | undefined>) => Object.entries(raw).flatMap(([k, v]) => (/^lines\.\d{1,3}\.plotId$/.test(k) && v && /^\d{1,9}$/.test(v) ? [Number(v)] : []));

/**
 * The form without JavaScript: its search, choose and remove buttons submit
 * the whole form by GET to the form's own page, which comes back with the
 * typed values kept, the search's results, the chosen plot added as a line
 * with its free area, or the line removed. With JavaScript the same buttons
 * work in place (resources.contracts.plots).
 */
export async function pickerState(user: CurrentUser, url: URL, stored: Record<string, string>, contractId: number | null) {
  const q = url.searchParams;
  const roundTrip = CONTROLS.slice(0, 3).some((c) => q.has(c));
  let defaults = stored;
  if (roundTrip) {
    defaults = {};
    for (const [k, v] of q.entries()) if (!CONTROLS.includes(k)) defaults[k] = v;
    const remove = q.get("remove");
    defaults = renumberLines(defaults, remove !== null && /^\d{1,3}$/.test(remove) ? Number(remove) : null);
    const pick = Number(q.get("pick"));
    if (Number.isInteger(pick) && pick > 0 && !lineIdsOf(defaults).includes(pick)) {
      const [offer] = await plotOffersByIds(user, [pick], { start: defaults.startDate, end: defaults.endDate, contractId });
      if (offer) {
        const n = lineIdsOf(defaults).length;
        defaults[`lines.${n}.plotId`] = String(offer.id);
        defaults[`lines.${n}.area`] = offer.freeArea;
      }
    }
  }
  const search = q.has("plotSearch") || q.has("plotQ") ? { q: q.get("plotQ") ?? "", ...(await searchPlotOffers(user, { q: q.get("plotQ") ?? "", start: defaults.startDate, end: defaults.endDate, contractId })) } : null;
  const chosen = await plotOffersByIds(user, lineIdsOf(defaults), { start: defaults.startDate, end: defaults.endDate, contractId });
  return { defaults, search, chosen };
}
