import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth/permissions.server";
import { noticeOf, runForDocuments } from "~/dividends/documents.server";
import { idParam, notFound } from "~/lib/http";
import { writeXlsx, xlsxHeaders } from "~/lib/xlsx.server";

/** A run's lines as an Excel workbook (分红明细表), ID numbers masked. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:dividend");
  const run = await runForDocuments(user.scope, idParam(params.id));
  if (!run) notFound();
  const notice = await noticeOf(user.scope, run);
  type Row = (typeof notice.rows)[number];
  const corr = run.correction;
  const title = `${run.cooperative.name} ${run.year} 年度分红${corr ? "更正" : ""}明细表${corr ? `（第 ${run.id} 号，更正 ${corr.of}）` : ""}`;
  const buffer = await writeXlsx([
    {
      name: "分红明细",
      title,
      subtitle: `${run.title} ${run.resolution}`.trim(),
      totalsLabel: "合计",
      rows: notice.rows,
      columns: [
        { header: "户主", type: "text", value: (r: Row) => r.householdHead, width: 10 },
        { header: "身份证号", type: "text", value: (r: Row) => r.idMasked, width: 22 },
        { header: "村民小组", type: "text", value: (r: Row) => r.group ?? "", width: 14 },
        { header: "入股日期", type: "text", value: (r: Row) => r.since ?? "", width: 12 },
        { header: "入股面积（亩）", type: "decimal", value: (r: Row) => r.areaMu, total: "sum" },
        { header: "股数", type: "decimal", value: (r: Row) => r.shares, total: "sum" },
        { header: "折算股数", type: "decimal", value: (r: Row) => r.weight ?? "", total: "sum" },
        { header: "保底收益", type: "money", value: (r: Row) => r.guaranteedFen, total: "sum" },
        { header: "二次分红", type: "money", value: (r: Row) => r.surplusFen, total: "sum" },
        { header: "按交易量返还", type: "money", value: (r: Row) => r.transactionFen, total: "sum" },
        { header: "按出资/股份", type: "money", value: (r: Row) => r.capitalFen, total: "sum" },
        { header: "扣除", type: "money", value: (r: Row) => r.deductionFen, total: "sum" },
        // A correction's rows are differences: the net issued before and after stand beside them.
        ...(corr
          ? [
              { header: "原已发放", type: "money" as const, value: (r: Row) => r.issuedNetFen ?? 0n, total: "sum" as const },
              { header: "更正后", type: "money" as const, value: (r: Row) => r.correctedNetFen ?? r.netFen, total: "sum" as const },
            ]
          : []),
        { header: corr ? "差额" : "实发金额", type: "money", value: (r: Row) => r.netFen, total: "sum" },
      ],
    },
  ]);
  return new Response(new Uint8Array(buffer), { headers: xlsxHeaders(`${run.cooperative.name} ${run.year} 年度分红${corr ? "更正" : ""}明细表-第${run.id}号.xlsx`) });
}
