import Database from "better-sqlite3";
import ExcelJS from "exceljs";
import type { CurrentUser } from "../../app/auth/session.server.ts";
import { getBatch, startDryRun, startImport } from "../../app/imports/imports.server.ts";
import { makeIdNumber } from "../../app/registry/id-number.ts";
import type { BenchContext } from "./context.ts";

const ROWS = 20_000;
const CN = "零一二三四五六七八九";
const cn = (n: number) => String(n).replace(/\d/g, (d) => CN[Number(d)]!);

/** A 20,000-row household roster (one row per person) as Chinese Excel writes it. */
export async function roster(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("花名册");
  ws.addRow(["户编号", "村民小组", "户主姓名", "姓名", "与户主关系", "身份证号", "有无劳动能力", "联系电话", "户类型", "脱贫年度", "监测原因", "状态日期"]);
  let row = 0;
  for (let h = 0; row < ROWS; h++) {
    const code = `B${String(h).padStart(5, "0")}`;
    const status = h % 12 === 0 ? "脱贫户" : h % 31 === 0 ? "监测户" : "一般户";
    const year = status === "脱贫户" ? "2020" : "";
    const reason = status === "监测户" ? "因病" : "";
    const since = status === "监测户" ? "2024-03-01" : "";
    const head = `王${cn(h)}`;
    const people: [string, string, string][] = [
      [head, "户主", "19650101"],
      [`李${cn(h)}`, "配偶", "19670303"],
      [`王小${cn(h)}`, "子", "19950505"],
    ];
    for (const [name, relation, birth] of people) {
      if (row >= ROWS) break;
      // unique per person: area code by thousands, sequence by the rest
      const id = makeIdNumber(`3799${String(10 + Math.floor(h / 1000)).padStart(2, "0")}`, birth, String(h % 1000).padStart(3, "0"));
      ws.addRow([code, String(1 + (h % 5)), head, name, relation, id, "是", "", status, year, reason, since]);
      row++;
    }
  }
  ws.getColumn(6).numFmt = "@";
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Dry run and import of a 20,000-row roster into a village made for the run, removed afterwards. */
export async function run({ db, report }: BenchContext) {
  const raw = new Database(db);
  const township = raw.prepare(`SELECT id, code FROM Township ORDER BY id LIMIT 1`).get() as { id: number; code: string };
  const villageId = Number(raw.prepare(`INSERT INTO Village (code, parcelCode, name, townshipId) VALUES (?, '998', '导入测速村', ?)`).run(`${township.code.slice(0, 9)}998`, township.id).lastInsertRowid);
  for (let g = 1; g <= 5; g++) raw.prepare(`INSERT INTO VillagerGroup (villageId, number, name) VALUES (?, ?, ?)`).run(villageId, String(g).padStart(2, "0"), `第${g}组`);
  const user = { id: 1, role: "SECRETARY", scope: { kind: "village", townshipId: township.id, villageId }, username: "bench", displayName: "bench", scopeName: "" } as CurrentUser;
  try {
    const bytes = await roster();
    console.log(`(roster: ${ROWS} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB)`);
    const t0 = performance.now();
    const started = await startDryRun(user, { kind: "HOUSEHOLDS", villageId, fileName: "roster.xlsx", bytes, updateExisting: false }, { wait: true });
    if (!started.ok) throw new Error(JSON.stringify(started));
    const t1 = performance.now();
    const checked = await getBatch(user, started.id);
    if (checked?.status !== "CHECKED" || checked.errorCount !== 0) throw new Error(`dry run: ${checked?.status} with ${checked?.errorCount} errors ${checked?.report.slice(0, 300)}`);
    await startImport(user, started.id, { wait: true });
    const t2 = performance.now();
    const done = await getBatch(user, started.id);
    if (done?.status !== "IMPORTED") throw new Error(`import: ${done?.status} ${done?.failure}`);
    console.log(`(${done.createCount} households created)`);
    report("import_dry_run_20k_ms", t1 - t0);
    report("import_apply_20k_ms", t2 - t1);
    report("import_20k_rows_ms", t2 - t0);
  } finally {
    const hh = `SELECT id FROM Household WHERE villageId = ${villageId}`;
    raw.exec(`DELETE FROM HouseholdSearchTerm WHERE villageId = ${villageId}; DELETE FROM HouseholdStatusChange WHERE householdId IN (${hh}); DELETE FROM Person WHERE householdId IN (${hh});
      DELETE FROM Household WHERE villageId = ${villageId}; DELETE FROM AuditEvent WHERE villageId = ${villageId}; DELETE FROM ImportBatch WHERE villageId = ${villageId};
      DELETE FROM VillagerGroup WHERE villageId = ${villageId}; DELETE FROM Village WHERE id = ${villageId};`);
    raw.close();
  }
}
