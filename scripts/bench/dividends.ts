import { Writable } from "node:stream";
import Database from "better-sqlite3";
import type { CurrentUser } from "../../app/auth/session.server.ts";
import { coverOf, runForDocuments, statementsOf } from "../../app/dividends/documents.server.ts";
import { parseRunForm } from "../../app/dividends/run-form.ts";
import { approveRun, issueRun, publishRun, saveDraft } from "../../app/dividends/runs.server.ts";
import { rawPdfkitPagesPerSecond, statementsPerSecond } from "../../tests/statement-bench.ts";
import { renderStatementBatch } from "../../app/dividends/statement-pdf.server.ts";
import type { BenchContext } from "./context.ts";

const HOUSEHOLDS = 5000;
const YEAR = 2025;

/**
 * A dividend run of 5,000 households on the district data set: the land-share
 * cooperative of 小留镇 gets equity contracts for 5,000 households (made once,
 * marked BENCH-EQ), then the run is computed and saved, approved, issued, and
 * all statements are rendered into one streamed PDF.
 */
export async function run({ db, report }: BenchContext) {
  const raw = new Database(db);
  const coop = raw.prepare(`SELECT c.id, c.townshipId FROM Cooperative c WHERE c.type = 'LAND_SHARE' ORDER BY c.id LIMIT 1`).get() as { id: number; townshipId: number };
  const have = (raw.prepare(`SELECT COUNT(*) AS n FROM TransferContract WHERE draftNo LIKE 'BENCH-EQ-%'`).get() as { n: number }).n;
  if (have < HOUSEHOLDS) {
    raw.exec(`DELETE FROM ContractPlot WHERE contractId IN (SELECT id FROM TransferContract WHERE draftNo LIKE 'BENCH-EQ-%');
              DELETE FROM ContractParty WHERE contractId IN (SELECT id FROM TransferContract WHERE draftNo LIKE 'BENCH-EQ-%');
              DELETE FROM TransferContract WHERE draftNo LIKE 'BENCH-EQ-%';`);
    const plots = raw.prepare(`SELECT p.id, p.householdId, p.villageId, p.townshipId, p.contractArea FROM ContractedPlot p WHERE p.id IN (SELECT MIN(id) FROM ContractedPlot GROUP BY householdId) ORDER BY p.id LIMIT ?`).all(HOUSEHOLDS) as { id: number; householdId: number; villageId: number; townshipId: number; contractArea: string }[];
    const insC = raw.prepare(`INSERT INTO TransferContract (townshipId, villageId, draftNo, transfereeKind, cooperativeId, transfereeName, form, use, startDate, endDate, rentKind, rentPerMu, paymentTiming, status, createdById, createdAt, updatedAt) VALUES (?, ?, ?, 'COOPERATIVE', ?, '', 'EQUITY', 'GRAIN', ?, '2039-12-31', 'CASH', '1.00', 'YEARLY', 'FILED', 1, '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`);
    const insParty = raw.prepare(`INSERT INTO ContractParty (contractId, householdId) VALUES (?, ?)`);
    const insLine = raw.prepare(`INSERT INTO ContractPlot (contractId, plotId, householdId, area) VALUES (?, ?, ?, ?)`);
    raw.transaction(() => {
      plots.forEach((p, i) => {
        // Most joined before the year; one in ten mid-year, so the run weighs days.
        const start = i % 10 === 0 ? `${YEAR}-0${1 + (i % 9)}-15` : "2021-01-01";
        const c = insC.run(p.townshipId, p.villageId, `BENCH-EQ-${i}`, coop.id, start);
        insParty.run(c.lastInsertRowid, p.householdId);
        insLine.run(c.lastInsertRowid, p.id, p.householdId, p.contractArea);
      });
    })();
  }
  raw.exec(`DELETE FROM DividendPayment WHERE lineId IN (SELECT l.id FROM DividendLine l JOIN DividendRun r ON r.id = l.runId WHERE r.cooperativeId = ${coop.id});
            DELETE FROM DividendLine WHERE runId IN (SELECT id FROM DividendRun WHERE cooperativeId = ${coop.id});
            DELETE FROM DividendObjection WHERE runId IN (SELECT id FROM DividendRun WHERE cooperativeId = ${coop.id});
            DELETE FROM DividendRun WHERE cooperativeId = ${coop.id};`);
  raw.close();

  const accountant = { id: 1, username: "bench", displayName: "bench", role: "ACCOUNTANT", scopeName: "", scope: { kind: "cooperative", cooperativeId: coop.id, townshipId: coop.townshipId, villageIds: [] } } as unknown as CurrentUser;
  const form = parseRunForm({ year: String(YEAR), income: "30000000", cost: "9000000", providentPercent: "10", riskPercent: "5", guaranteePerShare: "800", noticeDays: "7" }, "LAND_SHARE", 2026);
  if (!form.ok) throw new Error(JSON.stringify(form.errors));
  const t0 = performance.now();
  const saved = await saveDraft(accountant, null, form.value);
  const ms = performance.now() - t0;
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  report("dividend_run_5k_ms", ms);
  const t1 = performance.now();
  const approved = await approveRun(accountant, saved.id);
  if (approved) throw new Error(JSON.stringify(approved));
  console.log(`(approve with the frozen recomputation: ${(performance.now() - t1).toFixed(0)} ms)`);
  await publishRun(accountant, saved.id);
  const issued = await issueRun(accountant, saved.id, "2100-01-01");
  if (issued) throw new Error(JSON.stringify(issued));

  // Warm both paths first, so neither pays for the JIT and the font parse.
  await rawPdfkitPagesPerSecond(200);
  await statementsPerSecond(200);
  // Raw pdfkit: pages of the same text, same font, same process.
  const rawResult = await rawPdfkitPagesPerSecond(HOUSEHOLDS);
  console.log(`(raw pdfkit: ${HOUSEHOLDS} pages in ${rawResult.seconds.toFixed(1)} s)`);
  report("raw_pdfkit_pages_per_s", rawResult.perSecond);

  // The real batch: statements read from the database a page at a time and streamed.
  const runRow = (await runForDocuments(accountant.scope, saved.id))!;
  const rssStart = process.memoryUsage.rss();
  let peak = rssStart;
  let bytes = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  const t2 = performance.now();
  const stream = renderStatementBatch(await coverOf(accountant.scope, runRow), statementsOf(accountant.scope, runRow, "http://localhost:3000"));
  await new Promise<void>((resolve, reject) => {
    stream.pipe(sink).on("finish", resolve).on("error", reject);
    stream.on("error", reject);
  });
  const seconds = (performance.now() - t2) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  console.log(`(${HOUSEHOLDS} statements, ${(bytes / 2 ** 20).toFixed(1)} MB of PDF in ${seconds.toFixed(1)} s; RSS ${(rssStart / 2 ** 20).toFixed(0)} → peak ${(peak / 2 ** 20).toFixed(0)} MB)`);
  report("statements_per_s", HOUSEHOLDS / seconds);
  report("statements_peak_rss_mb", peak / 2 ** 20);
}
