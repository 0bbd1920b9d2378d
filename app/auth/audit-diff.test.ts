import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { describeChanges, diffSnapshots, fieldLabel, flattenSnapshot, valueText, type Scalar } from "./audit-diff";
import { auditFilters } from "./audit-filters";

const zh = translator("zh-CN");

describe("diffSnapshots", () => {
  it("lists only the fields that changed, old and new", () => {
    expect(diffSnapshots({ headName: "张三", phone: "138****0100", status: "ORDINARY" }, { headName: "张四", phone: "138****0100", status: "MONITORED" })).toEqual([
      { path: "headName", before: "张三", after: "张四" },
      { path: "status", before: "ORDINARY", after: "MONITORED" },
    ]);
  });
  it("shows a create's new values and a delete's old ones", () => {
    expect(diffSnapshots(null, { a: 1, b: { c: "x" } })).toEqual([
      { path: "a", before: undefined, after: 1 },
      { path: "b.c", before: undefined, after: "x" },
    ]);
    expect(diffSnapshots({ a: 1 }, null)).toEqual([{ path: "a", before: 1, after: undefined }]);
  });
  it("numbers list items from 1 and joins plain lists into one value", () => {
    expect([...flattenSnapshot({ members: [{ name: "甲" }, { name: "乙" }], villageIds: [3, 4] })]).toEqual([
      ["members.1.name", "甲"],
      ["members.2.name", "乙"],
      ["villageIds", "3、4"],
    ]);
  });

  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.constantFrom<Scalar>(null, true, false, "", "A"), fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 3 }), tie("object"), tie("array")),
    object: fc.dictionary(fc.constantFrom("a", "b", "status", "amountFen", "members"), tie("value"), { maxKeys: 4 }),
    array: fc.array(tie("value"), { maxLength: 3 }),
  }));

  it("property: applying the changes to the old fields gives the new ones, and nothing unchanged is listed", () => {
    fc.assert(
      fc.property(json.object, json.object, (before, after) => {
        const b = flattenSnapshot(before);
        const a = flattenSnapshot(after);
        const changes = diffSnapshots(before, after);
        const applied = new Map(b);
        for (const c of changes) {
          expect(c.before).toBe(b.get(c.path));
          if (c.after === undefined) applied.delete(c.path);
          else applied.set(c.path, c.after);
        }
        expect(new Map([...applied].sort())).toEqual(new Map([...a].sort()));
        for (const c of changes) expect(b.has(c.path) && a.has(c.path) && Object.is(b.get(c.path), a.get(c.path))).toBe(false);
        expect(new Set(changes.map((c) => c.path)).size).toBe(changes.length);
      }),
    );
  });
});

describe("in words", () => {
  it("names kinds of record, fields and known values in Chinese", () => {
    const lines = describeChanges("Household", JSON.stringify({ headName: "张三", status: "ORDINARY" }), JSON.stringify({ headName: "张四", status: "MONITORED" }), zh);
    expect(lines).toEqual([
      { field: "户主姓名", before: "张三", after: "张四" },
      { field: "状态", before: "一般户", after: "监测户" },
    ]);
    expect(fieldLabel("Household", "members.2.idNumber", zh)).toBe("成员 2 · 身份证号");
    expect(valueText("TransferContract", "status", "FILED", zh)).toBe("已备案");
    expect(valueText("DividendRun", "status", "ISSUED", zh)).toBe("已发放");
    expect(valueText("RentPayment", "amountFen", "123456", zh)).toBe("1,234.56 元");
    expect(valueText("WorkDay", "withdrawnAt", "2026-03-01T16:30:00.000Z", zh)).toBe("2026-03-02 00:30");
    expect(valueText("Harvest", "note", null, zh)).toBe("—");
    expect(valueText("User", "mustChangePassword", true, zh)).toBe("是");
    // an unknown field keeps its code name rather than guessing
    expect(fieldLabel("Household", "zzz", zh)).toBe("zzz");
  });
});

describe("auditFilters", () => {
  it("reads the URL's filters and refuses bad dates with a message", () => {
    const f = auditFilters(new URLSearchParams("actor=3&entity=Household&from=2026-01-01&to=2026-01-31&record=%20A-03%20"));
    expect(f).toMatchObject({ actorId: 3, entity: "Household", from: "2026-01-01", to: "2026-01-31", record: "A-03", errors: {} });
    expect(auditFilters(new URLSearchParams("entity=Nope&from=2026-02-30")).errors.from).toBe("audit.filter.badDate");
    expect(auditFilters(new URLSearchParams("entity=Nope")).entity).toBeNull();
    expect(auditFilters(new URLSearchParams("from=2026-02-01&to=2026-01-01")).errors.to).toBe("audit.filter.badRange");
  });
});
