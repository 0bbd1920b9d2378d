import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../scripts/lib/migrate";

/**
 * Migration 20261202000000_money_and_time turns Person.joinedOn / leftOn from
 * DateTime into "YYYY-MM-DD" China dates. The time a record was typed is never
 * a membership date: a joinedOn that is not a midnight-UTC date stamp (what
 * imports and the seed wrote) becomes unknown; a removal stamp becomes the
 * China date of the removal.
 */
const MIGRATION = "20261202000000_money_and_time";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cunshe-person-dates-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe(`migration ${MIGRATION}: membership dates`, () => {
  it("keeps imported dates, forgets typed timestamps and turns removal stamps into China dates", () => {
    const file = path.join(dir, "before.db");
    const applied = applyMigrations(file, MIGRATION);
    expect(applied).not.toContain(MIGRATION);
    expect(applied.length).toBeGreaterThan(0);

    const db = new Database(file);
    db.exec(`INSERT INTO Township (id, code, name, countyCode) VALUES (1, '371702102000', '小留镇', '371702')`);
    db.exec(`INSERT INTO Village (id, code, parcelCode, name, townshipId) VALUES (1, '371702102001', '001', '鲁谢庄村', 1)`);
    db.exec(`INSERT INTO VillagerGroup (id, villageId, number, name) VALUES (1, 1, '01', '第一村民小组')`);
    db.exec(`INSERT INTO Household (id, code, townshipId, villageId, groupId, headName, updatedAt) VALUES (1, '0001', 1, 1, 1, '谢建国', '2026-07-15T03:12:45.123+00:00')`);
    const ins = db.prepare(
      `INSERT INTO Person (id, householdId, name, idNumber, birthDate, sex, relation, joinedOn, leftOn) VALUES (?, 1, ?, ?, '1970-01-01', 'M', 'HEAD', ?, ?)`,
    );
    // typed on the household form at 11:12 Beijing time: the typing time, not a membership date
    ins.run(1, "谢建国", "371702197001010011", "2026-07-15T03:12:45.123+00:00", null);
    // imported 入户日期 (midnight UTC stamp of the date)
    ins.run(2, "谢雨轩", "371702201503010012", "2015-03-01T00:00:00.000+00:00", null);
    // removed at 00:30 Beijing time on 12月3日 (16:30 UTC the day before)
    ins.run(3, "谢小满", "371702199001010013", null, "2026-12-02T16:30:00.000+00:00");
    // unknown stays unknown
    ins.run(4, "谢大满", "371702199001010021", null, null);
    db.close();

    expect(applyMigrations(file)).toContain(MIGRATION);

    const after = new Database(file, { readonly: true });
    const rows = after.prepare(`SELECT id, joinedOn, leftOn, typeof(joinedOn) AS jt, typeof(leftOn) AS lt FROM Person ORDER BY id`).all();
    after.close();
    expect(rows).toEqual([
      { id: 1, joinedOn: null, leftOn: null, jt: "null", lt: "null" },
      { id: 2, joinedOn: "2015-03-01", leftOn: null, jt: "text", lt: "null" },
      { id: 3, joinedOn: null, leftOn: "2026-12-03", jt: "null", lt: "text" },
      { id: 4, joinedOn: null, leftOn: null, jt: "null", lt: "null" },
    ]);
  });
});
