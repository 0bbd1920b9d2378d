/**
 * The contract list and the arrears as Excel workbooks, with the list's
 * filters, in the frame every list export shares
 * (~/exports/frame.server.ts: audit record, streaming).
 */
import type { CurrentUser } from "~/auth/session.server";
import {
  exportFileName,
  placeOf,
  recordExport,
  subtitle,
  writeInBackground,
  type ExportContext,
  type ExportFile,
  type ListExport,
} from "~/exports/frame.server";
import { today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { XlsxColumn } from "~/lib/xlsx.server";
import { XlsxStreamWriter, yieldToEventLoop } from "~/lib/xlsx-stream.server";
import { sumAreas } from "./contract-form";
import { contractList, contractListWhere, installmentScopeWhere } from "./contracts.server";
import { contractFilters, type ContractListFilters } from "./list-filters";
import { arrears } from "./rent.server";
import { effectiveStatus } from "./status";

// ─── Contracts ─────────────────────────────────────────────────────────────

interface ContractRow {
  no: number;
  contractNo: string;
  draftNo: string;
  village: string;
  status: string;
  form: string;
  use: string;
  transferors: string;
  transferee: string;
  area: string;
  startDate: string;
  endDate: string;
  rent: string;
  signedDate: string | null;
  filedDate: string | null;
}

export async function exportContracts(ctx: ExportContext, f: ContractListFilters): Promise<ExportFile> {
  const { user, t } = ctx;
  const now = today();
  // the list's rows and order, unpaged; a search is literal as on the page
  const { rows } = await contractList(user.scope, f, null, now);
  const place = await placeOf(ctx);
  const parts: string[] = [];
  if (f.status) parts.push(`${t("export.filter.status")}：${t(`cstatus.${f.status}`)}`);
  if (f.form) parts.push(`${t("export.filter.form")}：${t(`cform.${f.form}`)}`);
  if (f.endingWithinDays) parts.push(t("export.filter.ending", { days: f.endingWithinDays }));
  if (f.q) parts.push(`${t("export.filter.search")}：“${f.q}”`);
  const title = `${t("export.contracts.title")} ${place.name}`.trim();
  await recordExport(ctx, "contracts", place, { filters: { status: f.status ?? null, form: f.form ?? null, ending: f.endingWithinDays ?? null, q: f.q ?? null }, rows: rows.length });

  // as listContracts: a cooperative's contracts may lie in villages it does not serve
  const villages = new Map(
    (await prisma.village.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.villageId))] } }, select: { id: true, name: true } })).map((v) => [v.id, v.name]),
  );
  const w = new XlsxStreamWriter();
  const sheet = w.addSheet<ContractRow>({
    name: t("export.contracts.sheet"),
    title,
    subtitle: subtitle(ctx, parts.join("，"), rows.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.no"), type: "integer", value: (r) => r.no, width: 7 },
      { header: t("export.col.contractNo"), type: "text", value: (r) => r.contractNo, width: 18 },
      { header: t("export.col.draftNo"), type: "text", value: (r) => r.draftNo, width: 16 },
      { header: t("export.col.village"), type: "text", value: (r) => r.village, width: 12 },
      { header: t("export.col.status"), type: "text", value: (r) => r.status, width: 8 },
      { header: t("export.col.form"), type: "text", value: (r) => r.form, width: 8 },
      { header: t("export.col.use"), type: "text", value: (r) => r.use, width: 10 },
      { header: t("export.col.transferors"), type: "text", value: (r) => r.transferors, width: 24 },
      { header: t("export.col.transferee"), type: "text", value: (r) => r.transferee, width: 22 },
      { header: t("export.col.area"), type: "decimal", value: (r) => r.area, width: 10, total: "sum" },
      { header: t("export.col.startDate"), type: "date", value: (r) => r.startDate, width: 11 },
      { header: t("export.col.endDate"), type: "date", value: (r) => r.endDate, width: 11 },
      { header: t("export.col.rent"), type: "text", value: (r) => r.rent, width: 18 },
      { header: t("export.col.signedDate"), type: "date", value: (r) => r.signedDate, width: 11 },
      { header: t("export.col.filedDate"), type: "date", value: (r) => r.filedDate, width: 11 },
    ],
  });
  writeInBackground(w, async () => {
    for (const r of rows) {
      sheet.add({
        no: sheet.count + 1,
        contractNo: r.contractNo ?? "",
        draftNo: r.draftNo,
        village: villages.get(r.villageId) ?? "",
        status: t(`cstatus.${effectiveStatus(r, now)}`),
        form: t(`cform.${r.form}`),
        use: t(`cuse.${r.use}`),
        transferors: r.parties.map((p) => p.household.headName).join("、"),
        transferee: r.cooperative?.name ?? r.transfereeName,
        area: sumAreas(r.plots.map((p) => p.area)).toFixed(2),
        startDate: r.startDate,
        endDate: r.endDate,
        rent:
          r.rentKind === "CASH"
            ? `${r.rentPerMu ?? ""} ${t("unit.yuanPerMu")}`
            : `${t(`crop.${r.inKindCrop}`)} ${r.inKindJinPerMu ?? ""} ${t("unit.jinPerMu")}`,
        signedDate: r.signedDate,
        filedDate: r.filedDate,
      });
      if (sheet.count % 2000 === 0) {
        await w.drained();
        await yieldToEventLoop();
      }
    }
  });
  return { body: w.body, fileName: exportFileName(title), rows: rows.length };
}

// ─── Arrears ───────────────────────────────────────────────────────────────

const BUCKETS = ["DUE", "D1_30", "D31_90", "D90_PLUS"] as const;

type Sum = { outstandingFen: bigint; penaltyFen: bigint; penaltyPaidFen: bigint; penaltyWaivedFen: bigint; penaltyOutstandingFen: bigint; buckets: Record<string, bigint> };

/** Arrears as on the page (as of today): by household, by contract, and every overdue installment. */
export async function exportArrears(ctx: ExportContext): Promise<ExportFile> {
  const { user, t } = ctx;
  const a = await arrears(user.scope, today());
  const place = await placeOf(ctx);
  const title = `${t("export.arrears.title")} ${place.name}`.trim();
  await recordExport(ctx, "arrears", place, { asOf: a.asOf, rows: a.byHousehold.length, contracts: a.byContract.length, installments: a.lines.length });
  const filters = t("export.filter.asOf", { date: a.asOf });
  const sumColumns = <T extends Sum>(): XlsxColumn<T>[] => [
    ...BUCKETS.map((b) => ({ header: t(`aging.${b}`), type: "money" as const, value: (r: T) => r.buckets[b] ?? 0n, width: 13, total: "sum" as const })),
    { header: t("export.col.outstanding"), type: "money", value: (r: T) => r.outstandingFen, width: 13, total: "sum" },
    // The late penalty accrued, paid, waived and outstanding apart (contracts/penalty.ts).
    { header: t("penalty.accrued"), type: "money", value: (r: T) => r.penaltyFen, width: 12, total: "sum" },
    { header: t("penalty.paid"), type: "money", value: (r: T) => r.penaltyPaidFen, width: 12, total: "sum" },
    { header: t("penalty.waived"), type: "money", value: (r: T) => r.penaltyWaivedFen, width: 12, total: "sum" },
    { header: t("penalty.outstanding"), type: "money", value: (r: T) => r.penaltyOutstandingFen, width: 12, total: "sum" },
  ];
  type ByHousehold = Sum & { headName: string; villageName: string };
  type ByContract = Sum & { contractLabel: string; villageName: string };
  type Line = (typeof a.lines)[number];
  const w = new XlsxStreamWriter();
  const households = w.addSheet<ByHousehold>({
    name: t("export.arrears.byHousehold"),
    title,
    subtitle: subtitle(ctx, filters, a.byHousehold.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.head"), type: "text", value: (r) => r.headName, width: 10 },
      { header: t("export.col.village"), type: "text", value: (r) => r.villageName, width: 12 },
      ...sumColumns<ByHousehold>(),
    ],
  });
  const contracts = w.addSheet<ByContract>({
    name: t("export.arrears.byContract"),
    title,
    subtitle: subtitle(ctx, filters, a.byContract.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.contractNo"), type: "text", value: (r) => r.contractLabel, width: 18 },
      { header: t("export.col.village"), type: "text", value: (r) => r.villageName, width: 12 },
      ...sumColumns<ByContract>(),
    ],
  });
  const lines = w.addSheet<Line>({
    name: t("export.arrears.lines"),
    title,
    subtitle: subtitle(ctx, filters, a.lines.length, "none"),
    totalsLabel: t("export.total"),
    columns: [
      { header: t("export.col.contractNo"), type: "text", value: (r) => r.contractLabel, width: 18 },
      { header: t("export.col.village"), type: "text", value: (r) => r.villageName, width: 12 },
      { header: t("export.col.head"), type: "text", value: (r) => r.headName, width: 10 },
      { header: t("export.col.dueDate"), type: "date", value: (r) => r.dueDate, width: 11 },
      { header: t("export.col.aging"), type: "text", value: (r) => t(`aging.${r.bucket}`), width: 14 },
      { header: t("export.col.outstanding"), type: "money", value: (r) => r.outstandingFen, width: 13, total: "sum" },
      { header: t("penalty.accrued"), type: "money", value: (r) => r.penaltyFen, width: 12, total: "sum" },
    ],
  });
  writeInBackground(w, async () => {
    for (const h of a.byHousehold) households.add(h as ByHousehold);
    households.end();
    for (const c of a.byContract) contracts.add(c as ByContract);
    contracts.end();
    for (const l of a.lines) {
      lines.add(l);
      if (lines.count % 2000 === 0) {
        await w.drained();
        await yieldToEventLoop();
      }
    }
  });
  return { body: w.body, fileName: exportFileName(title), rows: a.byHousehold.length };
}

// ─── The two list exports, as the export index runs them ───────────────────

export const contractsExport: ListExport = {
  count: async (user: CurrentUser, params: URLSearchParams) => prisma.transferContract.count({ where: contractListWhere(user.scope, contractFilters(params), today()) }),
  run: (ctx, params) => exportContracts(ctx, contractFilters(params)),
};

export const arrearsExport: ListExport = {
  // the overdue installments not paid in full: the longest of the workbook's sheets
  count: async (user: CurrentUser) =>
    prisma.rentInstallment.count({
      where: {
        AND: [
          installmentScopeWhere(user.scope),
          { cancelledAt: null, amountFen: { not: null }, contract: { form: { not: "EQUITY" } }, dueDate: { lte: today() } },
          { amountFen: { gt: prisma.rentInstallment.fields.paidFen } },
        ],
      },
    }),
  run: (ctx) => exportArrears(ctx),
};
