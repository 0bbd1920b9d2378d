/**
 * One "app process" of tests/models/two-processes.test.ts: it signs in with
 * the cookies it is given, waits for the common start instant, then tries to
 * pay every installment in full, issue every run and pay every dividend line
 * in full, in its own order, printing what each call answered as JSON.
 */
import { getUser } from "~/auth/session.server";
import { recordPayment } from "~/contracts/rent.server";
import { issueRun, recordDividendPayment } from "~/dividends/runs.server";
import { prisma } from "~/lib/db.server";

interface Work {
  secretaryCookie: string;
  accountantCookie: string;
  /** the chair issues (maker-checker); the accountant pays */
  chairCookie: string;
  installments: { id: number; amount: string }[];
  runs: number[];
  issueAsOf: string;
  startAt: number;
  seed: number;
}

const work = JSON.parse(process.env.TWO_PROCESS_WORK!) as Work;
const user = async (cookie: string) => (await getUser(new Request("http://localhost/", { headers: { Cookie: cookie } })))!;
const secretary = await user(work.secretaryCookie);
const accountant = await user(work.accountantCookie);
const chair = await user(work.chairCookie);

// a different order in each process, so that they meet on every record
const order = <T>(xs: T[]) => (work.seed % 2 ? [...xs].reverse() : xs);

await new Promise((r) => setTimeout(r, Math.max(0, work.startAt - Date.now())));
const answers: Record<string, unknown[]> = { payments: [], issues: [], dividendPayments: [] };
const payments = Promise.all(
  order(work.installments).map(async (i) =>
    answers.payments!.push([i.id, await recordPayment(secretary, i.id, { paidOn: "2025-12-31", amount: i.amount, method: "CASH", receiptNo: `P${work.seed}` })]),
  ),
);
const issues = Promise.all(order(work.runs).map(async (id) => answers.issues!.push([id, await issueRun(chair, id, work.issueAsOf)])));
await Promise.all([payments, issues]);
const lines = await prisma.dividendLine.findMany({ where: { runId: { in: work.runs } }, select: { id: true, netFen: true }, orderBy: { id: "asc" } });
await Promise.all(
  order(lines).map(async (l) => {
    const amount = `${l.netFen / 100n}.${String(l.netFen % 100n).padStart(2, "0")}`;
    answers.dividendPayments!.push([l.id, await recordDividendPayment(accountant, l.id, { paidOn: "2025-12-31", amount, reference: `D${work.seed}`, status: "PAID", failureReason: "" })]);
  }),
);
await prisma.$disconnect();
process.stdout.write(JSON.stringify(answers));
