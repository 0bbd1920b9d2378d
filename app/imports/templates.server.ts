/**
 * Downloadable import templates (导入模板): the headings in Chinese (required
 * ones marked *), one example row that passes every check, code columns
 * formatted as text so Excel keeps all their digits, drop-down lists for
 * the enum columns, and a second sheet 填写说明 describing each column.
 */
import ExcelJS from "exceljs";
import type { Translate } from "~/lib/i18n";
import { COLUMNS, type ColumnSpec, type ImportKind } from "./columns";
import {
  BOOL_WORDS,
  CATEGORY_WORDS,
  FORM_WORDS,
  RELATION_WORDS,
  STATUS_WORDS,
  TIMING_WORDS,
  TRANSFEREE_KIND_WORDS,
  USE_WORDS,
} from "./values";

/** Rows formatted and given drop-downs below the headings. */
const TEMPLATE_ROWS = 2000;

/** Accepted values of enum-like columns, as offered in the drop-downs and the guide. */
export function acceptedValues(kind: ImportKind, key: string): string[] | null {
  if (key === "relation") return RELATION_WORDS.shown;
  if (key === "status") return STATUS_WORDS.shown;
  if (key === "category") return CATEGORY_WORDS.shown;
  if (key === "form") return FORM_WORDS.shown;
  if (key === "transfereeKind") return TRANSFEREE_KIND_WORDS.shown;
  if (key === "use") return USE_WORDS.shown;
  if (key === "paymentTiming") return TIMING_WORDS.shown;
  if (key === "rentKind") return ["现金"];
  const spec = COLUMNS[kind].find((c) => c.key === key);
  if (spec?.type === "bool") return BOOL_WORDS.shown;
  return null;
}

export function templateHeading(spec: ColumnSpec): string {
  return spec.required ? `${spec.heading}*` : spec.heading;
}

const HEAD_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
const REQUIRED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFCE4D6" } };

function exampleValue(spec: ColumnSpec): ExcelJS.CellValue {
  const v = spec.example;
  if (v === "") return null;
  if (spec.type === "date") {
    const [y, m, d] = v.split("-").map(Number);
    return new Date(Date.UTC(y!, m! - 1, d!));
  }
  if (spec.type === "decimal" || spec.type === "money" || spec.type === "integer") return Number(v);
  return v;
}

function numFmt(spec: ColumnSpec): string {
  if (spec.type === "date") return "yyyy-mm-dd";
  if (spec.type === "decimal" || spec.type === "money") return "0.00";
  if (spec.type === "integer") return "0";
  return "@";
}

/** exceljs has range validations at run time but not in its types. */
function validations(ws: ExcelJS.Worksheet): { add(range: string, v: ExcelJS.DataValidation): void } {
  return (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations;
}

/** The template workbook of an import kind. */
export async function templateXlsx(kind: ImportKind, t: Translate): Promise<Buffer> {
  const specs = COLUMNS[kind];
  const wb = new ExcelJS.Workbook();
  wb.creator = "村社账本 Cunshe Ledger";
  wb.created = new Date();

  const ws = wb.addWorksheet(t(`import.template.sheet.${kind}`), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = specs.map((spec) => ({
    width: Math.min(28, Math.max(10, spec.heading.length * 2 + 4, spec.example.length + 2)),
    style: { numFmt: numFmt(spec) },
  }));
  const head = ws.getRow(1);
  specs.forEach((spec, i) => {
    const cell = head.getCell(i + 1);
    cell.value = templateHeading(spec);
    cell.font = { bold: true, color: spec.required ? { argb: "FFC00000" } : undefined };
    cell.fill = spec.required ? REQUIRED_FILL : HEAD_FILL;
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    const notes = [t(`import.type.${spec.type}`)];
    const note = t(`import.note.${kind}.${spec.key}`);
    if (note !== `import.note.${kind}.${spec.key}`) notes.push(note);
    cell.note = notes.join("\n");
  });
  head.height = 30;
  const example = ws.getRow(2);
  specs.forEach((spec, i) => {
    const cell = example.getCell(i + 1);
    cell.value = exampleValue(spec);
    cell.numFmt = numFmt(spec);
  });
  specs.forEach((spec, i) => {
    const values = acceptedValues(kind, spec.key);
    if (!values) return;
    const letter = ws.getColumn(i + 1).letter;
    // A drop-down that still accepts the other variants (no error on other text).
    validations(ws).add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: "list",
      allowBlank: true,
      formulae: [`"${values.join(",")}"`],
      showErrorMessage: false,
    });
  });

  // 填写说明
  const guide = wb.addWorksheet(t("import.template.guide"));
  guide.columns = [{ width: 18 }, { width: 10 }, { width: 24 }, { width: 50 }, { width: 40 }, { width: 22 }];
  guide.mergeCells(1, 1, 1, 6);
  const title = guide.getCell(1, 1);
  title.value = t("import.template.guideTitle", { kind: t(`import.kind.${kind}`) });
  title.font = { bold: true, size: 14 };
  let r = 2;
  for (const tip of ["import.template.tip1", "import.template.tip2", "import.template.tip3", "import.template.tip4"]) {
    guide.mergeCells(r, 1, r, 6);
    guide.getCell(r, 1).value = t(tip);
    guide.getCell(r, 1).alignment = { wrapText: true };
    r++;
  }
  r++;
  const gh = guide.getRow(r);
  ["import.template.column", "import.template.required", "import.template.format", "import.template.accepted", "import.template.variants", "import.template.example"].forEach((k, i) => {
    const c = gh.getCell(i + 1);
    c.value = t(k);
    c.font = { bold: true };
    c.fill = HEAD_FILL;
  });
  for (const spec of specs) {
    r++;
    const row = guide.getRow(r);
    const accepted = acceptedValues(kind, spec.key);
    const note = t(`import.note.${kind}.${spec.key}`);
    const explain = [accepted ? accepted.join("、") : "", note !== `import.note.${kind}.${spec.key}` ? note : ""].filter(Boolean).join("；");
    const values = [spec.heading, spec.required ? t("common.yes") : t("common.no"), t(`import.type.${spec.type}`), explain, spec.variants.join("、"), spec.example];
    values.forEach((v, i) => {
      const c = row.getCell(i + 1);
      c.value = v;
      c.numFmt = "@";
      c.alignment = { wrapText: true, vertical: "top" };
    });
  }

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
