import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { coverOf, noticeOf, runForDocuments, statementsOf } from "~/dividends/documents.server";
import { approveRun, getRun, issueRun, publishRun, recordDividendPayment, saveDraft } from "~/dividends/runs.server";
import { renderNoticeSheet, renderStatementBatch } from "~/dividends/statement-pdf.server";
import type { StatementDocument } from "~/dividends/statement-document";
import { prisma } from "~/lib/db.server";
import { pdfToBuffer } from "~/lib/pdf.server";
import { buildWorld, type World } from "../factories";
import { equity, runForm, userOf } from "./dividends.fixtures";

/**
 * Every date of a run is China time, whatever the server's zone: the clock is
 * set to 00:30 in Beijing, when UTC (and Los Angeles) still say the day before.
 * Run this file with TZ=America/Los_Angeles too.
 */
let w: World;
let accountant: CurrentUser;
let chair: CurrentUser;
let runId: number;

/** 00:30 Beijing time on a China date: 16:30 UTC the day before. */
const at0030 = (date: string) => new Date(`${date}T00:30:00+08:00`);

const pdfText = async (stream: NodeJS.ReadableStream) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dividend-clock-")), "x.pdf");
  fs.writeFileSync(file, await pdfToBuffer(stream));
  return execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
};

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
  chair = await userOf(w.users.chair);
  await equity(w, w.h1.id, "3717021020010100001", "16.00", "2020-01-01", "2039-12-31");
  vi.useFakeTimers({ toFake: ["Date"] });
});

afterAll(() => {
  vi.useRealTimers();
});

describe("a run's dates at 00:30 China time", () => {
  it("approval and the notice are dated in China time: published 2026-11-26 for 7 days runs to 2026-12-02", async () => {
    vi.setSystemTime(at0030("2026-11-26"));
    expect(new Date().toISOString().slice(0, 10)).toBe("2026-11-25");
    const saved = await saveDraft(accountant, null, runForm({ income: "48000" }));
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    runId = saved.id;
    expect(await approveRun(chair, runId)).toBeNull();
    expect(await publishRun(accountant, runId)).toBeNull();
    const run = (await getRun(accountant, runId))!;
    expect([run.noticeStartsOn, run.noticeEndsOn]).toEqual(["2026-11-26", "2026-12-02"]);
  });

  it("is issued from the day after the notice's last day, by the China date", async () => {
    vi.setSystemTime(new Date("2026-12-02T23:59:00+08:00"));
    expect(await issueRun(chair, runId)).toMatchObject({ run: { key: "dividend.noticeNotOver", params: { date: "2026-12-02", from: "2026-12-03" } } });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z")); // 2026-12-03 00:30 in Beijing
    expect(await issueRun(chair, runId)).toBeNull();
  });

  it("prints the same China dates on the cover, every statement and the notice sheet (regression: the cover said 12月2日, the statements 12月3日)", async () => {
    const run = (await runForDocuments(accountant.scope, runId))!;
    const cover = await coverOf(accountant.scope, run);
    expect(cover.approvedOn).toBe("2026-11-26");
    expect(cover.issuedOn).toBe("2026-12-03");
    expect(cover.generatedAt).toBe("2026-12-03 00:30");
    const statements: StatementDocument[] = [];
    for await (const s of statementsOf(accountant.scope, run, "http://localhost")) statements.push(s);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(s.issuedOn).toBe("2026-12-03");
    const notice = await noticeOf(accountant.scope, run);
    expect([notice.noticeFrom, notice.noticeTo, notice.publishedOn]).toEqual(["2026-11-26", "2026-12-02", "2026-11-26"]);

    const batch = await pdfText(renderStatementBatch(cover, statements));
    expect(batch).not.toContain("2026年12月2日");
    // the cover prints the issue date; a statement tells the payment as it happened (none yet), never the issue date as if paid
    expect(batch.split("发放日期2026年12月3日").length - 1).toBe(1);
    expect(batch.split("到账情况未支付").length - 1).toBe(statements.length);
    const sheet = await pdfText(renderNoticeSheet(notice));
    expect(sheet).toContain("公示期：2026年11月26日至12月2日（共7天）");
  });

  it("takes a payment dated today in China and refuses tomorrow", async () => {
    const line = await prisma.dividendLine.findFirstOrThrow({ where: { runId } });
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-12-04", amount: "1.00", reference: "", status: "PAID", failureReason: "" })).toMatchObject({ paidOn: { key: "dividend.dateFuture", params: { today: "2026-12-03" } } });
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-12-03", amount: "1.00", reference: "", status: "PAID", failureReason: "" })).toBeNull();
  });
});
