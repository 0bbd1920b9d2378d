import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { can } from "~/auth/permissions";
import { requireCan, requireIntent, requirePermission } from "~/auth/permissions.server";
import booksCss from "~/books/books.css";
import { voucherNo } from "~/books/books-ui";
import { checkVoucher, requireBooksReader, voidVoucher, voucherDetail } from "~/books/books.server";
import { reversalsOf, sourceLink, voucherBrief } from "~/books/pages.server";
import { booksQuery } from "~/books/query";
import { ConfirmStep } from "~/components/confirm-step";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { formatInstant } from "~/lib/dates";
import { redirectWithMessage } from "~/lib/flash.server";
import { requiredReason } from "~/lib/forms";
import { notFound } from "~/lib/http";
import { formatYuan, fromFen, toCapitals } from "~/lib/money";
import { prisma } from "~/lib/db.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: booksCss }];

function idParam(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  return id;
}

async function voucherCooperative(id: number): Promise<number> {
  const v = await prisma.voucher.findUnique({ where: { id }, select: { cooperativeId: true } });
  if (!v) notFound();
  return v.cooperativeId;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "read:books");
  const id = idParam(params.id);
  const coop = await requireBooksReader(user, await voucherCooperative(id));
  const v = await voucherDetail(coop.id, id);
  if (!v) notFound();
  const [link, reverses, reversedBy] = await Promise.all([sourceLink(v.source, v.sourceId), v.reversesId ? voucherBrief(v.reversesId) : null, reversalsOf(v.id)]);
  const debit = v.lines.reduce((s, l) => s + l.debitFen, 0n);
  const credit = v.lines.reduce((s, l) => s + l.creditFen, 0n);
  const target = { townshipId: coop.townshipId, cooperativeId: coop.id };
  return {
    coop: { id: coop.id, name: coop.name },
    v: {
      id: v.id,
      year: v.year,
      month: v.month,
      number: v.number,
      date: v.date,
      summary: v.summary,
      attachments: v.attachments,
      source: v.source,
      status: v.status,
      redInk: v.redInk,
      makerName: v.makerName,
      checkerName: v.checkerName,
      checkedAt: v.checkedAt ? formatInstant(v.checkedAt) : "",
    },
    lines: v.lines.map((l) => ({ id: l.id, code: l.code, name: l.fullName, summary: l.summary || v.summary, debit: l.debitFen === 0n ? "" : formatYuan(l.debitFen), credit: l.creditFen === 0n ? "" : formatYuan(l.creditFen) })),
    totals: { debit: formatYuan(debit), credit: formatYuan(credit), capitals: toCapitals(fromFen(debit < 0n ? -debit : debit)), negative: debit < 0n },
    link,
    reverses,
    reversedBy,
    canCheck: v.status === "UNCHECKED" && can(user, "check:voucher", target) && v.makerId !== user.id,
    canVoid: v.status === "UNCHECKED" && v.source === "MANUAL" && can(user, "write:voucher", target),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, intent, form } = await requireIntent(request, { check: "check:voucher", void: "write:voucher" });
  const id = idParam(params.id);
  if (intent === "check") {
    const r = await checkVoucher(user, id);
    if (!r.ok) return data({ errors: r.errors }, { status: 400 });
    const v = (await voucherBrief(id))!;
    return redirectWithMessage(`/books/vouchers/${id}`, "booksVoucher.checked", { number: v.number, year: v.year, month: v.month });
  }
  const coop = await requireBooksReader(user, await voucherCooperative(id));
  requireCan(user, "write:voucher", { townshipId: coop.townshipId, cooperativeId: coop.id });
  const reason = requiredReason(form);
  if (!reason.ok) return data({ errors: reason.errors }, { status: 400 });
  const r = await voidVoucher(user, id, reason.reason);
  if (!r.ok) return data({ errors: r.errors }, { status: 400 });
  const v = (await voucherBrief(id))!;
  return redirectWithMessage(`/books/vouchers/${id}`, "booksVoucher.voided", { number: v.number, year: v.year, month: v.month });
}

export default function VoucherPage() {
  const t = useT();
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const errors = (a?.errors ?? {}) as Record<string, { key: string; params?: Record<string, string | number> }>;
  const other = Object.entries(errors).filter(([k]) => k !== "reason");
  const v = d.v;
  const brief = (b: { id: number; month: number; number: number; year: number }) => `${b.year} 年 ${voucherNo(t, b, true)}`;
  return (
    <>
      <p className="no-print">
        <Link to={`/books/vouchers${booksQuery(d.coop, v.year, { month: v.month })}`}>{t("booksVoucher.back")}</Link>
      </p>
      {other.map(([k, e]) => (
        <p key={k} className="field-error" role="alert">
          {t(e.key, e.params)}
        </p>
      ))}
      <article className={`voucher-sheet${v.redInk ? " red-ink" : ""}`} data-testid="voucher-sheet">
        <h2>{t("booksVoucher.title")}</h2>
        <div className="voucher-head">
          <span>{d.coop.name}</span>
          <span data-testid="voucher-date">{v.date}</span>
          <span data-testid="voucher-no">{t("booksVoucher.word", { number: v.number })}</span>
        </div>
        {v.redInk && d.reverses ? (
          <p className="red-ink" data-testid="voucher-reverses">
            {t("booksVoucher.reverses", { voucher: "" })}
            <Link to={`/books/vouchers/${d.reverses.id}`}>{brief(d.reverses)}</Link>
          </p>
        ) : null}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("booksVouchers.summary")}</th>
                <th>{t("booksVoucher.account")}</th>
                <th className="num">{t("booksLedger.debit")}</th>
                <th className="num">{t("booksLedger.credit")}</th>
              </tr>
            </thead>
            <tbody>
              {d.lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.summary}</td>
                  <td>
                    {l.code} {l.name}
                  </td>
                  <td className="num">{l.debit}</td>
                  <td className="num">{l.credit}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={2}>{t("booksVoucher.totalRow")}</th>
                <td className="num" data-testid="voucher-debit">
                  {d.totals.debit}
                </td>
                <td className="num">{d.totals.credit}</td>
              </tr>
              <tr>
                <td colSpan={4} data-testid="voucher-capitals">
                  {t(d.totals.negative ? "booksVoucher.capitalsRed" : "booksVoucher.capitals", { capitals: d.totals.capitals })}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
        <div className="voucher-foot">
          <span>{t("booksVoucher.attachmentsCount", { count: v.attachments })}</span>
          <span>{t("booksVoucher.makerLine", { name: v.makerName || "—" })}</span>
          <span data-testid="voucher-checker">{t("booksVoucher.checkerLine", { name: v.checkerName || "—" })}</span>
          <span className="voucher-stamp" data-testid="voucher-status">
            {t(`booksVouchers.status.${v.status}`)}
          </span>
        </div>
        <p className="muted">
          {t("booksVoucher.sourceLink", { source: t(`booksVouchers.source.${v.source}`) })}
          {d.link ? (
            <>
              {" · "}
              <Link to={d.link} data-testid="voucher-source">
                {t("booksVoucher.openSource")}
              </Link>
            </>
          ) : null}
          {v.checkedAt ? ` · ${t("booksVoucher.checkedAt", { at: v.checkedAt })}` : ""}
        </p>
        {d.reversedBy.length > 0 ? (
          <p className="red-ink">
            {d.reversedBy.map((r) => (
              <span key={r.id}>
                {t("booksVoucher.reversedBy", { voucher: "" })}
                <Link to={`/books/vouchers/${r.id}`}>{brief(r)}</Link>{" "}
              </span>
            ))}
          </p>
        ) : null}
      </article>
      <div className="voucher-actions">
        {d.canCheck ? (
          <Form method="post">
            <p className="muted">{t("booksVoucher.checkWarning")}</p>
            <button type="submit" name="intent" value="check" data-testid="voucher-check">
              {t("booksVoucher.check")}
            </button>
          </Form>
        ) : null}
        {d.canVoid ? (
          <ConfirmStep intent="void" label={t("booksVoucher.void")} warning={t("booksVoucher.voidWarning")} reasonLabel={t("booksVoucher.voidReason")} confirmLabel={t("booksVoucher.voidConfirm")} error={errors.reason} />
        ) : null}
        <button type="button" className="no-print" onClick={() => window.print()}>
          {t("booksPage.print")}
        </button>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
