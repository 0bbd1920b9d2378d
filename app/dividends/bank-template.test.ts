import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amountText, csvText, EXAMPLE_TEMPLATES, parseAmount, paymentRows, specFromForm, validateSpec, type PayeeLine } from "./bank-template";

describe("bank templates", () => {
  it("ships valid examples labelled as examples, none named after a bank", () => {
    expect(EXAMPLE_TEMPLATES.length).toBeGreaterThanOrEqual(2);
    for (const t of EXAMPLE_TEMPLATES) {
      expect(validateSpec(t)).toEqual({ ok: true, spec: t });
      expect(t.name).toContain("示例");
      expect(t.name.replace("开户银行", "")).not.toMatch(/银行|工行|农行|建行|中行|邮储|农商|信用社|ICBC|ABC|CCB|BOC/);
    }
    expect(EXAMPLE_TEMPLATES.some((t) => t.amountUnit === "fen" && t.encoding === "GBK")).toBe(true);
  });

  it("names each problem by its field", () => {
    const r = validateSpec({ name: "", format: "pdf", encoding: "BIG5", amountUnit: "jiao", headerRows: [["{{bank}}"]], columns: [{ header: "账号", field: "account" }, { header: "", field: "name" }, { header: "X", field: "nope" }], resultColumns: { success: ["成功"], failure: ["成功"] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(
      ["amountUnit", "columns", "columns.1.header", "columns.2.field", "encoding", "format", "headerRows.0", "name", "result.amount", "result.failure", "result.statementNo", "result.status"].sort(),
    );
    expect(r.errors["headerRows.0"]).toEqual({ key: "bank.template.placeholder", params: { name: "bank" } });
    expect(validateSpec(null).ok).toBe(false);
  });

  it("refuses a template that would not carry the statement number", () => {
    const t = { ...EXAMPLE_TEMPLATES[0]!, columns: EXAMPLE_TEMPLATES[0]!.columns.filter((c) => c.field !== "note") };
    const r = validateSpec(t);
    expect(r.ok || r.errors.columns).toEqual({ key: "bank.template.statementNoMissing" });
  });

  it("amounts round-trip in yuan and fen, never through a float", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 100_000_000_000n }), fc.constantFrom("yuan" as const, "fen" as const), (fen, unit) => {
        expect(parseAmount(amountText(fen, unit), unit)).toBe(fen);
      }),
    );
    expect(parseAmount("1,234.5", "yuan")).toBe(123450n);
    expect(parseAmount("¥ 0.07", "yuan")).toBe(7n);
    expect(parseAmount("12.345", "yuan")).toBeNull();
    expect(parseAmount("12.3", "fen")).toBeNull();
    expect(parseAmount("-1", "yuan")).toBeNull();
    expect(parseAmount("100000000000.01", "yuan")).toBeNull();
  });

  it("the file's amounts add up to the payees' to the fen, and the header rows say so", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 10_000_000n }), { maxLength: 40 }), fc.constantFrom(...EXAMPLE_TEMPLATES), (amounts, spec) => {
        const payees: PayeeLine[] = amounts.map((a, i) => ({ statementNo: `FH2025-001-0001-${i}`, account: "4111111111111111", name: i % 7 === 0 ? "=HYPERLINK(1)" : `张${i}`, amountFen: a, idMasked: "", bankName: "", village: "", householdCode: "" }));
        const { rows, headerRowCount, totalFen } = paymentRows(spec, payees, { cooperative: "合作社", date: "2026-01-05", run: "1" });
        const col = spec.columns.findIndex((c) => c.field === "amount");
        const sum = rows.slice(headerRowCount).reduce((s, r) => s + parseAmount(r[col]!, spec.amountUnit)!, 0n);
        expect(sum).toBe(amounts.reduce((s, a) => s + a, 0n));
        expect(totalFen).toBe(sum);
        expect(rows.length).toBe(headerRowCount + payees.length);
        if (spec.headerRows.length) expect(rows.slice(0, headerRowCount - 1).flat()).toContain(amountText(sum, spec.amountUnit));
        for (const r of rows.slice(headerRowCount)) expect(r.every((c) => !c.startsWith("="))).toBe(true);
      }),
    );
  });

  it("quotes CSV cells that need it", () => {
    expect(csvText([["a", 'b"c', "d,e"], ["1"]])).toBe('a,"b""c","d,e"\r\n1\r\n');
  });
});

describe("the template editor's form", () => {
  const formOf = (spec: (typeof EXAMPLE_TEMPLATES)[number], over: Record<string, string> = {}) => {
    const f: Record<string, string> = {
      name: spec.name,
      format: spec.format,
      encoding: spec.encoding,
      amountUnit: spec.amountUnit,
      note: spec.note,
      headerRows: spec.headerRows.map((r) => r.join("|")).join("\n"),
      "result.statementNo": spec.resultColumns.statementNo,
      "result.account": spec.resultColumns.account,
      "result.amount": spec.resultColumns.amount,
      "result.status": spec.resultColumns.status,
      "result.reason": spec.resultColumns.reason,
      "result.success": spec.resultColumns.success.join("，"),
      "result.failure": spec.resultColumns.failure.join(","),
    };
    spec.columns.forEach((c, i) => Object.assign(f, { [`columns.${i}.header`]: c.header, [`columns.${i}.field`]: c.field, [`columns.${i}.order`]: String(i + 1) }));
    return (name: string) => ({ ...f, ...over })[name] ?? "";
  };

  it("reads back what it shows, and reorders columns by their numbers", () => {
    for (const spec of EXAMPLE_TEMPLATES) expect(specFromForm(formOf(spec))).toEqual({ ok: true, spec });
    const r = specFromForm(formOf(EXAMPLE_TEMPLATES[0]!, { "columns.0.order": "9", "columns.6.header": "开户行", "columns.6.field": "bankName", "columns.6.order": "0" }));
    expect(r.ok && r.spec.columns.map((c) => c.field)).toEqual(["bankName", "account", "name", "amount", "note", "seq"]);
  });

  it("keeps the form's column numbers in its errors", () => {
    const r = specFromForm(formOf(EXAMPLE_TEMPLATES[0]!, { "columns.2.header": "", "columns.2.field": "name", name: "" }));
    expect(r.ok ? null : Object.keys(r.errors).sort()).toEqual(["columns.2.header", "name"]);
  });
});
