import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { approveRun, publishRun, saveDraft, getRun } from "~/dividends/runs.server";
import { addDays } from "~/lib/dates";
import { engine, prisma } from "~/lib/db.server";
import { buildWorld, type World } from "../factories";
import { equity, householdV1, runForm, userOf } from "./dividends.fixtures";

/**
 * Two app processes on one database (ADR 019): each tries to record the same
 * payments and issue the same runs at the same instant. Whatever the
 * interleaving, every installment is paid once, every run issued once, every
 * dividend line paid once — on SQLite (one file, two processes) and on
 * PostgreSQL (`npm run test:pg`).
 */
let w: World;
const INSTALLMENTS = 30;
let installments: { id: number; amount: string }[] = [];
let runs: number[] = [];
let issueAsOf = "";

beforeAll(async () => {
  w = await buildWorld();
  const contract = await prisma.transferContract.create({
    data: {
      townshipId: w.t1.id, villageId: w.v1.id, draftNo: "TWO-PROC-1", transfereeKind: "GROWER", transfereeName: "种粮大户", form: "TRANSFER", use: "GRAIN",
      startDate: "2020-01-01", endDate: "2049-12-31", rentKind: "CASH", rentPerMu: "900.00", paymentTiming: "YEARLY", status: "FILED", createdById: w.users.secretary.id,
      parties: { create: { householdId: w.h1.id } },
    },
  });
  for (let seq = 1; seq <= INSTALLMENTS; seq++) {
    const fen = 100_000n + BigInt(seq);
    const i = await prisma.rentInstallment.create({
      data: { contractId: contract.id, householdId: w.h1.id, townshipId: w.t1.id, villageId: w.v1.id, seq, periodStart: `${1990 + seq}-01-01`, periodEnd: `${1990 + seq}-12-31`, dueDate: `${1990 + seq}-12-31`, area: "1.11", rateNote: "900", amountFen: fen },
    });
    installments.push({ id: i.id, amount: `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}` });
  }
  // Three published runs of C1 (years 2023–2025), their notices over.
  const accountant = await userOf(w.users.accountant);
  const chair = await userOf(w.users.chair);
  for (const [n, code] of ["01", "02", "03"].entries()) {
    const h = await householdV1(w, `7${code}`, `股东${code}`);
    await equity(w, h.id, `37170210200101000${code}`, `${n + 2}.00`, "2020-01-01", "2049-12-31");
  }
  for (const year of [2023, 2024, 2025]) {
    const saved = await saveDraft(accountant, null, runForm({ year: String(year) }));
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    expect(await approveRun(chair, saved.id)).toBeNull();
    expect(await publishRun(accountant, saved.id)).toBeNull();
    runs.push(saved.id);
    issueAsOf = addDays((await getRun(accountant, saved.id))!.noticeEndsOn!, 1);
  }
});

function appProcess(seed: number, startAt: number): Promise<Record<string, [number, unknown][]>> {
  const work = { secretaryCookie: w.users.secretary.cookie, accountantCookie: w.users.accountant.cookie, chairCookie: w.users.chair.cookie, installments, runs, issueAsOf, startAt, seed };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "tests/models/two-processes.worker.ts"], {
      env: { ...process.env, TWO_PROCESS_WORK: JSON.stringify(work), CUNSHE_FAKE_NOW: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`app process ${seed} exited ${code}: ${err.slice(-2000)}`))));
  });
}

describe(`two app processes on one ${engine() === "postgres" ? "PostgreSQL" : "SQLite"} database`, () => {
  it("pay each installment once, issue each run once and pay each dividend line once", async () => {
    // both processes load the app first (a few seconds), then start at the same instant
    const startAt = Date.now() + 8_000;
    const [a, b] = await Promise.all([appProcess(1, startAt), appProcess(2, startAt)]);

    // Rent: each installment paid in full exactly once; the other process was told it owes nothing more.
    const payments = await prisma.rentPayment.findMany({ where: { installmentId: { in: installments.map((i) => i.id) } }, select: { installmentId: true, amountFen: true } });
    expect(payments).toHaveLength(INSTALLMENTS);
    expect(new Set(payments.map((p) => p.installmentId)).size).toBe(INSTALLMENTS);
    const rows = await prisma.rentInstallment.findMany({ where: { id: { in: installments.map((i) => i.id) } }, select: { amountFen: true, paidFen: true } });
    expect(rows.every((r) => r.paidFen === r.amountFen)).toBe(true);
    const answers = [...a.payments!, ...b.payments!];
    expect(answers.filter(([, r]) => r === null)).toHaveLength(INSTALLMENTS);
    expect(answers.filter(([, r]) => r !== null).every(([, r]) => (r as { amount: { key: string } }).amount.key === "payment.amountTooLarge")).toBe(true);
    expect(new Set([...a.payments!, ...b.payments!].filter(([, r]) => r === null).map(([id]) => id)).size).toBe(INSTALLMENTS);

    // Runs: issued once each — one audit event, statement numbers given once, no error to either process.
    expect([...a.issues!, ...b.issues!].every(([, r]) => r === null)).toBe(true);
    for (const id of runs) {
      const run = await prisma.dividendRun.findUniqueOrThrow({ where: { id }, select: { status: true, lines: { select: { statementNo: true } } } });
      expect(run.status).toBe("ISSUED");
      expect(run.lines.every((l) => l.statementNo)).toBe(true);
      const events = await prisma.auditEvent.count({ where: { entity: "DividendRun", entityId: String(id), after: { contains: '"ISSUED"' } } });
      expect(events).toBe(1);
    }

    // Dividend lines: each paid its net once.
    const lines = await prisma.dividendLine.findMany({ where: { runId: { in: runs } }, select: { id: true, netFen: true, paidFen: true, payments: { select: { amountFen: true } } } });
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l.paidFen).toBe(l.netFen);
      expect(l.payments).toHaveLength(1);
    }
    const paid = [...a.dividendPayments!, ...b.dividendPayments!].filter(([, r]) => r === null);
    expect(paid).toHaveLength(lines.length);
  }, 120_000);
});
