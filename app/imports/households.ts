/**
 * Checks a household roster (农户花名册, one row per person) with the rules of
 * the household form, and plans what importing it would do. Pure: the lead's
 * server module loads `HouseholdImportContext` from the database and applies
 * the plan.
 *
 * Rows are grouped into households by 户编号; rows without one by 户主身份证号;
 * rows with neither continue the household of the row above (rosters often
 * fill the household columns on the head's row only), and a head's row
 * without either starts a household of its own.
 *
 * Each household becomes the raw form `parseHouseholdForm` takes, so every
 * rule of the form applies; its field errors are mapped back to the user's
 * rows and columns. Import-specific checks (a person in two households, a
 * member of another household in the database, conflicting household data,
 * the head's name and ID against the member rows) come first, so that the
 * more specific message wins for a cell.
 */
import { today as clockToday } from "~/lib/dates";
import { checkIdNumber } from "~/registry/id-number";
import { parseHouseholdForm, type HouseholdInput, type Relation } from "~/registry/household-form";
import type { RawForm } from "~/lib/forms";
import { checkStatusDate } from "~/registry/status-history";
import { categoryFromText, CATEGORY_NAMES, MONITORING_CATEGORIES, parseRiskTypes, RISK_NAMES, RISK_TYPES, riskTypesFromText } from "~/registry/monitoring";
import { Cells, ErrorCollector, headingProblems, idError, missingRequired, sameText, type Change, type Note, type RowErrors } from "./check-common";
import { parseImportDate, parseYear } from "./columns";
import type { RawTable } from "./table";
import { BOOL_WORDS, findGroup, looksLikeLostDigits, lookupWord, normalizeCode, RELATION_WORDS, STATUS_WORDS, type GroupRef } from "./values";

export interface HouseholdImportContext {
  villageId: number;
  groups: GroupRef[];
  /** the village's households with their current members (leftOn null) */
  households: {
    id: number;
    code: string;
    groupId: number;
    headName: string;
    address: string;
    phone: string;
    bankName: string;
    bankAccount: string;
    status: string;
    statusYear: number | null;
    /** needed so that an unchanged monitored household passes the form's checks */
    statusReason: string;
    /** app/registry/monitoring.ts codes, kept when the file has no such column */
    monitoringCategory?: string | null;
    riskTypes?: string;
    /** "YYYY-MM-DD" */
    statusDate: string | null;
    /** "YYYY-MM-DD": the date of the latest status change recorded (a new one may not be dated before it) */
    statusSince?: string | null;
    /** joinedOn: 入户日期 "YYYY-MM-DD", null when unknown */
    members: { id: number; name: string; idNumber: string; relation: string; ableToWork: boolean; phone: string; joinedOn?: string | null }[];
  }[];
  /** current members of households outside this village, for the ID numbers of the file */
  otherMemberships: { idNumber: string; householdCode: string; villageName: string }[];
  /** China date of the check; dates after it are refused (the clock's today() when absent) */
  today?: string;
}

export interface PlannedHousehold {
  rowNumbers: number[];
  existingId: number | null;
  action: "create" | "update" | "unchanged";
  /** the form's value; members matched by ID number carry the existing person's id */
  input: HouseholdInput;
  /** 入户日期 of each member (aligned with input.members), when the file gives one */
  memberJoinedOn: (string | null)[];
  changes: Change[];
  /** not errors: members in the database but not in the file (they are kept), a household number assigned */
  notes: Note[];
}

export interface HouseholdCheck {
  /** by row number; problems of the heading row (missing columns) sit under table.headerRowNumber */
  rowErrors: RowErrors;
  fileErrors: Note[];
  /** households without errors, in file order */
  households: PlannedHousehold[];
  counts: { rows: number; households: number; people: number; create: number; update: number; unchanged: number };
}

type Existing = HouseholdImportContext["households"][number];
type Row = RawTable["rows"][number];

interface Person {
  row: Row;
  name: string;
  relation: Relation | null;
  /** normalized */
  idNumber: string;
  /** valid ID number (normalized), for matching */
  validId: string | null;
}

interface Group {
  key: string;
  people: Person[];
}

/** Household-level columns: one value per household, which may be given on any of its rows. */
const HOUSEHOLD_KEYS = ["code", "group", "headName", "headIdNumber", "address", "bankName", "bankAccount", "status", "statusYear", "statusReason", "monitoringCategory", "riskTypes", "statusDate"] as const;
type HouseholdKey = (typeof HOUSEHOLD_KEYS)[number];

/** Form field → import column, for the household-level fields. */
const FIELD_COLUMN: Record<string, HouseholdKey | "phone"> = {
  code: "code",
  groupId: "group",
  address: "address",
  phone: "phone",
  bankName: "bankName",
  bankAccount: "bankAccount",
  status: "status",
  statusYear: "statusYear",
  statusReason: "statusReason",
  monitoringCategory: "monitoringCategory",
  riskTypes: "riskTypes",
  statusDate: "statusDate",
};

export function checkHouseholdRows(table: RawTable, index: Record<string, number>, ctx: HouseholdImportContext, currentYear: number): HouseholdCheck {
  const cells = new Cells(table, index, "HOUSEHOLDS");
  const errors = new ErrorCollector();
  const fileErrors = headingProblems("HOUSEHOLDS", table, index);
  for (const e of fileErrors) errors.add(table.headerRowNumber, null, e.key, e.params);
  const col = (key: string) => cells.heading(key);
  const get = (row: Row, key: string) => cells.get(row, key);

  // ─── Indexes of the database side ───
  const groupById = new Map(ctx.groups.map((g) => [g.id, g]));
  const byCode = new Map<string, Existing>();
  const byNumericCode = new Map<number, Existing | null>();
  const byHeadId = new Map<string, Existing>();
  const memberOf = new Map<string, Existing>();
  const codeLengths = new Map<number, number>();
  for (const h of ctx.households) {
    byCode.set(h.code, h);
    if (/^\d+$/.test(h.code)) {
      const n = Number(h.code);
      byNumericCode.set(n, byNumericCode.has(n) ? null : h);
      codeLengths.set(h.code.length, (codeLengths.get(h.code.length) ?? 0) + 1);
    }
    for (const m of h.members) {
      memberOf.set(m.idNumber, h);
      if (m.relation === "HEAD") byHeadId.set(m.idNumber, h);
    }
  }
  // Excel drops the leading zeros of 户编号 typed as numbers: pad to the village's usual width.
  const codeWidth = [...codeLengths.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  const outside = new Map(ctx.otherMemberships.map((o) => [o.idNumber, o]));

  const normCode = (raw: string): string => {
    const c = normalizeCode(raw);
    if (/^\d+$/.test(c) && c.length < codeWidth) return c.padStart(codeWidth, "0");
    return c;
  };

  // ─── Pass 1: each row's person, and the household key ───
  const people: Person[] = [];
  const rowCode = new Map<Row, string>();
  const rowHeadId = new Map<Row, string>();
  const headIdToCode = new Map<string, string>();
  for (const row of table.rows) {
    const name = get(row, "name");
    const idRaw = get(row, "idNumber");
    const idNumber = normalizeCode(idRaw);
    const relRaw = get(row, "relation");
    let relation: Relation | null = null;
    if (relRaw) {
      relation = lookupWord(RELATION_WORDS, relRaw);
      if (!relation) errors.add(row.rowNumber, col("relation"), "import.value.unknown", { value: relRaw, accepted: RELATION_WORDS.shown.join("、") });
    }
    const id = checkIdNumber(idNumber);
    people.push({ row, name, relation, idNumber, validId: id.ok ? id.id : null });
    const code = get(row, "code") ? normCode(get(row, "code")) : "";
    const headId = normalizeCode(get(row, "headIdNumber"));
    if (code) rowCode.set(row, code);
    if (headId) rowHeadId.set(row, headId);
    if (code && headId && !headIdToCode.has(headId)) headIdToCode.set(headId, code);
  }

  const groups: Group[] = [];
  const groupByKey = new Map<string, Group>();
  let current: Group | null = null;
  for (const p of people) {
    const code = rowCode.get(p.row);
    const headId = rowHeadId.get(p.row);
    let key: string | null = null;
    if (code) key = `C:${code}`;
    else if (headId) key = headIdToCode.has(headId) ? `C:${headIdToCode.get(headId)}` : `H:${headId}`;
    else if (p.relation === "HEAD" && p.idNumber) key = headIdToCode.has(p.idNumber) ? `C:${headIdToCode.get(p.idNumber)}` : `H:${p.idNumber}`;
    else if (current && p.relation !== "HEAD") key = current.key;
    if (!key) {
      errors.add(p.row.rowNumber, null, "import.household.keyMissing");
      current = null;
      continue;
    }
    let g = groupByKey.get(key);
    if (!g) {
      g = { key, people: [] };
      groupByKey.set(key, g);
      groups.push(g);
    }
    g.people.push(p);
    current = g;
  }
  // A head listed only by ID number (no 户编号) whose own row carries a 户编号 elsewhere is merged above via headIdToCode.

  // ─── A person listed twice ───
  const rowsById = new Map<string, { person: Person; group: Group }[]>();
  for (const g of groups) {
    for (const p of g.people) {
      if (!p.validId) continue;
      const list = rowsById.get(p.validId);
      if (list) list.push({ person: p, group: g });
      else rowsById.set(p.validId, [{ person: p, group: g }]);
    }
  }
  const labelOf = (g: Group) => (g.key.startsWith("C:") ? g.key.slice(2) : `户主 ${g.key.slice(2)}`);
  for (const [id, list] of rowsById) {
    if (list.length < 2) continue;
    for (const a of list) {
      const other = list.find((b) => b !== a)!;
      if (other.group === a.group) {
        const first = list.find((b) => b.group === a.group)!;
        if (first !== a) errors.add(a.person.row.rowNumber, col("idNumber"), "import.member.twiceInHousehold", { row: first.person.row.rowNumber, id });
      } else {
        const elsewhere = list.find((b) => b.group !== a.group)!;
        errors.add(a.person.row.rowNumber, col("idNumber"), "import.member.twoHouseholds", {
          row: a.person.row.rowNumber,
          other: elsewhere.person.row.rowNumber,
          id,
          a: labelOf(a.group),
          b: labelOf(elsewhere.group),
        });
      }
    }
  }

  // ─── New household numbers when the file has none ───
  const usedCodes = new Set<string>(ctx.households.map((h) => h.code));
  for (const g of groups) if (g.key.startsWith("C:")) usedCodes.add(g.key.slice(2));
  let nextCode = 0;
  for (const c of usedCodes) if (/^\d+$/.test(c)) nextCode = Math.max(nextCode, Number(c));
  const width = Math.max(codeWidth, 4);
  const assignCode = () => {
    let c: string;
    do c = String(++nextCode).padStart(width, "0");
    while (usedCodes.has(c));
    usedCodes.add(c);
    return c;
  };

  // ─── Pass 2: each household ───
  const planned: PlannedHousehold[] = [];
  const claimed = new Map<number, number>();
  let peopleCount = 0;
  for (const g of groups) {
    for (const p of g.people) if (p.name || p.idNumber) peopleCount++;
    const rows = g.people.map((p) => p.row);
    const first = rows[0]!;

    // Household-level values: the first non-empty one; another row saying otherwise is an error.
    const value: Partial<Record<HouseholdKey, { text: string; row: Row }>> = {};
    for (const key of HOUSEHOLD_KEYS) {
      if (!cells.has(key)) continue;
      for (const r of rows) {
        const text = get(r, key);
        if (!text) continue;
        const seen = value[key];
        if (!seen) value[key] = { text, row: r };
        else if (!sameValue(key, seen.text, text)) {
          errors.add(r.rowNumber, col(key), "import.household.conflict", { row: seen.row.rowNumber, household: labelOf(g), a: seen.text, b: text });
        }
      }
    }
    const src = (key: HouseholdKey) => value[key]?.row ?? first;

    // Group
    let groupId = "";
    if (value.group) {
      const found = findGroup(value.group.text, ctx.groups);
      if (found) groupId = String(found.id);
      else errors.add(src("group").rowNumber, col("group"), "import.group.notFound", { value: value.group.text, groups: ctx.groups.map((x) => x.name).join("、") });
    }

    // Status
    let status = "";
    if (value.status) {
      const s = lookupWord(STATUS_WORDS, value.status.text);
      if (s) status = s;
      else errors.add(src("status").rowNumber, col("status"), "import.value.unknown", { value: value.status.text, accepted: STATUS_WORDS.shown.join("、") });
    }
    let statusYear = "";
    if (value.statusYear) {
      const y = parseYear(value.statusYear.text);
      if (y === null) errors.add(src("statusYear").rowNumber, col("statusYear"), "import.year.invalid", { value: value.statusYear.text });
      else statusYear = String(y);
    }
    let statusDate = "";
    if (value.statusDate) {
      const d = parseImportDate(value.statusDate.text);
      if (!d) errors.add(src("statusDate").rowNumber, col("statusDate"), "import.date.invalid", { value: value.statusDate.text });
      else statusDate = d;
    }
    // 监测类别 and 风险类型 by their Chinese names (or codes); an unknown word is refused, naming the accepted ones
    let category = "";
    if (value.monitoringCategory) {
      const c = categoryFromText(value.monitoringCategory.text);
      if (c) category = c;
      else errors.add(src("monitoringCategory").rowNumber, col("monitoringCategory"), "import.value.unknown", { value: value.monitoringCategory.text, accepted: MONITORING_CATEGORIES.map((x) => CATEGORY_NAMES[x]).join("、") });
    }
    let risks: string[] | null = null;
    if (value.riskTypes) {
      const r = riskTypesFromText(value.riskTypes.text);
      if (r.unknown.length) errors.add(src("riskTypes").rowNumber, col("riskTypes"), "import.value.unknown", { value: r.unknown.join("、"), accepted: RISK_TYPES.map((x) => RISK_NAMES[x]).join("、") });
      else risks = r.types;
    }
    const bankAccount = value.bankAccount ? normalizeCode(value.bankAccount.text) : "";
    if (bankAccount && cells.lostDigits(src("bankAccount"), "bankAccount")) errors.add(src("bankAccount").rowNumber, col("bankAccount"), "import.lostDigits");
    if (value.headIdNumber && cells.lostDigits(src("headIdNumber"), "headIdNumber")) errors.add(src("headIdNumber").rowNumber, col("headIdNumber"), "import.lostDigits");

    // The head, against 户主姓名 / 户主身份证号
    const heads = g.people.filter((p) => p.relation === "HEAD");
    if (heads.length !== 1 && !missingRequired("HOUSEHOLDS", index, "relation")) {
      const at = heads.length ? heads : [g.people[0]!];
      for (const p of at) errors.add(p.row.rowNumber, col("relation"), "import.head.count", { household: labelOf(g), count: heads.length });
    }
    const head = heads.length === 1 ? heads[0]! : null;
    if (head && value.headName && !sameText(value.headName.text, head.name)) {
      errors.add(src("headName").rowNumber, col("headName"), "import.head.nameMismatch", { given: value.headName.text, name: head.name, row: head.row.rowNumber });
    }
    const headIdGiven = value.headIdNumber ? normalizeCode(value.headIdNumber.text) : "";
    if (head && headIdGiven && head.idNumber && headIdGiven !== head.idNumber) {
      errors.add(src("headIdNumber").rowNumber, col("headIdNumber"), "import.head.idMismatch", { given: headIdGiven, id: head.idNumber, row: head.row.rowNumber });
    }

    // The existing household: by 户编号, else by the head's ID number.
    const fileCode = g.key.startsWith("C:") ? g.key.slice(2) : "";
    const headId = head?.validId ?? (headIdGiven || null);
    let existing: Existing | null = null;
    if (fileCode) {
      existing = byCode.get(fileCode) ?? (/^\d+$/.test(fileCode) ? (byNumericCode.get(Number(fileCode)) ?? null) : null);
      const headsHousehold = headId ? byHeadId.get(headId) : undefined;
      if (headsHousehold && headsHousehold !== existing) {
        errors.add(src("code").rowNumber, col("code"), "import.household.codeMismatch", { code: fileCode, name: headsHousehold.headName, existing: headsHousehold.code });
      }
    } else if (headId) existing = byHeadId.get(headId) ?? null;
    if (existing) {
      const claimedBy = claimed.get(existing.id);
      if (claimedBy) {
        errors.add(first.rowNumber, null, "import.household.sameAsRow", { row: claimedBy, household: existing.code });
        existing = null;
      } else claimed.set(existing.id, first.rowNumber);
    }
    const notes: Note[] = [];
    let code = existing?.code ?? fileCode;
    if (!code) {
      code = assignCode();
      notes.push({ key: "import.household.codeAssigned", params: { code } });
    }

    // Members already in another household (of this village, or elsewhere)
    for (const p of g.people) {
      if (!p.validId) continue;
      const home = memberOf.get(p.validId);
      if (home) {
        if (home !== existing) errors.add(p.row.rowNumber, col("idNumber"), "id.duplicate", { household: `${home.code} ${home.headName}` });
        continue;
      }
      const o = outside.get(p.validId);
      if (o) errors.add(p.row.rowNumber, col("idNumber"), "id.duplicate", { household: `${o.villageName} ${o.householdCode}` });
    }

    // The raw form, with the database's values where the file says nothing
    const existingMembers = new Map((existing?.members ?? []).map((m) => [m.idNumber, m]));
    const effStatus = status || (value.status ? "ORDINARY" : (existing?.status ?? "ORDINARY"));
    const sameStatus = existing !== null && effStatus === existing.status;
    const raw: RawForm = {
      code,
      groupId: groupId || (existing && !value.group ? String(existing.groupId) : ""),
      address: value.address?.text ?? existing?.address ?? "",
      bankName: value.bankName?.text ?? existing?.bankName ?? "",
      bankAccount: bankAccount || existing?.bankAccount || "",
      // an unknown 户类型 is reported above; ORDINARY keeps the form from repeating it
      status: effStatus,
      statusYear: statusYear || (sameStatus && existing!.statusYear !== null ? String(existing!.statusYear) : ""),
      statusReason: value.statusReason?.text ?? (sameStatus ? existing!.statusReason : ""),
      statusDate: statusDate || (sameStatus ? (existing!.statusDate ?? "") : ""),
      monitoringCategory: category || (!value.monitoringCategory && sameStatus ? (existing!.monitoringCategory ?? "") : ""),
    };
    for (const r of risks ?? (sameStatus && !value.riskTypes ? parseRiskTypes(existing!.riskTypes) : [])) raw[`riskTypes.${r}`] = "on";
    let householdPhone = "";
    let phoneRow: Row = first;
    g.people.forEach((p, i) => {
      if (i > 999) {
        errors.add(p.row.rowNumber, null, "import.household.tooLarge", { household: labelOf(g) });
        return;
      }
      const m = p.validId ? existingMembers.get(p.validId) : undefined;
      const f = `members.${i}.`;
      raw[`${f}name`] = p.name;
      raw[`${f}relation`] = p.relation ?? (get(p.row, "relation") ? "OTHER" : "");
      raw[`${f}idNumber`] = p.idNumber;
      if (m) raw[`${f}id`] = String(m.id);
      const ableRaw = get(p.row, "ableToWork");
      let able = m?.ableToWork ?? false;
      if (ableRaw) {
        const b = lookupWord(BOOL_WORDS, ableRaw);
        if (b === null) errors.add(p.row.rowNumber, col("ableToWork"), "import.value.unknown", { value: ableRaw, accepted: "是、否" });
        else able = b === "true";
      }
      raw[`${f}ableToWork`] = able ? "on" : "";
      const phone = get(p.row, "phone") || m?.phone || "";
      raw[`${f}phone`] = phone;
      if (phone && !householdPhone) {
        householdPhone = phone;
        phoneRow = p.row;
      }
      if (phone && p.relation === "HEAD") {
        householdPhone = phone;
        phoneRow = p.row;
      }
      // 入户日期: the file's, else the one recorded; the form's rules check it (not after today, not before birth).
      const joinedRaw = get(p.row, "joinedOn");
      if (joinedRaw) {
        const joined = parseImportDate(joinedRaw);
        if (!joined) errors.add(p.row.rowNumber, col("joinedOn"), "import.date.invalid", { value: joinedRaw });
        else raw[`${f}joinedOn`] = joined;
      } else if (m?.joinedOn) raw[`${f}joinedOn`] = m.joinedOn;
      // The roster lists current members only (ADR 012): a row with a 迁出日期 is a
      // former member, whom importing would wrongly make current again.
      const leftRaw = get(p.row, "leftOn");
      if (leftRaw) errors.add(p.row.rowNumber, col("leftOn"), "import.member.leftOn", { value: leftRaw });
      if (cells.lostDigits(p.row, "idNumber") || (!p.validId && looksLikeLostDigits(p.idNumber))) errors.add(p.row.rowNumber, col("idNumber"), "import.lostDigits");
    });
    // The household's phone is the head's (or the first member's) unless the database already has one and the file none.
    raw.phone = householdPhone || existing?.phone || "";

    // a household monitored before the standard categories, which the file leaves as it is, is not refused for want of one
    const keepUnclassified = sameStatus && !existing!.monitoringCategory && !value.monitoringCategory && !value.riskTypes;
    const parsed = parseHouseholdForm(raw, currentYear, ctx.today, { keepUnclassified });
    if (!parsed.ok) {
      for (const [field, e] of Object.entries(parsed.errors)) {
        const m = /^members\.(\d+)\.(\w+)$/.exec(field);
        if (m) {
          const p = g.people[Number(m[1])]!;
          const key = m[2] === "id" ? "name" : m[2]!;
          if (missingRequired("HOUSEHOLDS", index, key)) continue;
          const note = key === "idNumber" ? idError(e.key, p.idNumber) : { key: e.key, params: e.params };
          errors.add(p.row.rowNumber, col(key), note.key, note.params);
        } else if (field === "members") {
          if (e.key === "head.count") continue; // reported above, per row
          errors.add(first.rowNumber, null, e.key, e.params);
        } else {
          const key = FIELD_COLUMN[field];
          if (!key) {
            errors.add(first.rowNumber, null, e.key, e.params);
            continue;
          }
          if (missingRequired("HOUSEHOLDS", index, key)) continue;
          const at = key === "phone" ? phoneRow : src(key as HouseholdKey);
          errors.add(at.rowNumber, col(key), e.key, e.params);
        }
      }
    }
    if (!parsed.ok || rows.some((r) => errors.has(r.rowNumber))) continue;

    // A status change may not be dated before the current status (history stays in date order).
    const input = parsed.value;
    if (
      existing &&
      (input.status !== existing.status ||
        input.statusYear !== existing.statusYear ||
        input.statusReason !== existing.statusReason ||
        (input.monitoringCategory ?? null) !== (existing.monitoringCategory ?? null) ||
        (input.riskTypes ?? "") !== (existing.riskTypes ?? ""))
    ) {
      const since = existing.statusSince !== undefined ? existing.statusSince : existing.statusDate;
      const asOf = ctx.today ?? clockToday();
      const e = checkStatusDate(input.statusDate ?? asOf, since, asOf);
      if (e) {
        errors.add(src("statusDate").rowNumber, col("statusDate"), e.key, e.params);
        continue;
      }
    }

    // The plan
    const changes: Change[] = existing ? diffHousehold(existing, input, groupById) : [];
    if (existing) {
      const inFile = new Set(input.members.map((m) => m.idNumber));
      const absent = existing.members.filter((m) => !inFile.has(m.idNumber));
      if (absent.length) notes.push({ key: "import.household.membersNotInFile", params: { names: absent.map((m) => m.name).join("、"), count: absent.length } });
    }
    planned.push({
      rowNumbers: rows.map((r) => r.rowNumber),
      existingId: existing?.id ?? null,
      action: !existing ? "create" : changes.length ? "update" : "unchanged",
      input,
      memberJoinedOn: input.members.map((m) => m.joinedOn ?? null),
      changes,
      notes,
    });
  }

  return {
    rowErrors: errors.sorted(),
    fileErrors,
    households: planned,
    counts: {
      rows: table.rows.length,
      households: groups.length,
      people: peopleCount,
      create: planned.filter((p) => p.action === "create").length,
      update: planned.filter((p) => p.action === "update").length,
      unchanged: planned.filter((p) => p.action === "unchanged").length,
    },
  };
}

function sameValue(key: HouseholdKey, a: string, b: string): boolean {
  if (key === "headIdNumber" || key === "bankAccount" || key === "code") return normalizeCode(a) === normalizeCode(b);
  if (key === "status") {
    const x = lookupWord(STATUS_WORDS, a);
    return x !== null && x === lookupWord(STATUS_WORDS, b);
  }
  if (key === "statusDate") return parseImportDate(a) !== null && parseImportDate(a) === parseImportDate(b);
  if (key === "statusYear") return parseYear(a) !== null && parseYear(a) === parseYear(b);
  return sameText(a, b);
}

/** What an update would change; values are codes ("ALLEVIATED", "SPOUSE", "true") and group names. */
function diffHousehold(h: Existing, input: HouseholdInput, groups: Map<number, GroupRef>): Change[] {
  const changes: Change[] = [];
  const field = (name: string, before: string, after: string) => {
    if (before !== after) changes.push({ field: name, before, after });
  };
  field("group", groups.get(h.groupId)?.name ?? String(h.groupId), groups.get(input.groupId)?.name ?? String(input.groupId));
  field("address", h.address, input.address);
  field("phone", h.phone, input.phone);
  field("bankName", h.bankName, input.bankName);
  field("bankAccount", h.bankAccount, input.bankAccount);
  field("status", h.status, input.status);
  field("statusYear", h.statusYear === null ? "" : String(h.statusYear), input.statusYear === null ? "" : String(input.statusYear));
  if (input.status === "MONITORED") field("statusReason", h.statusReason, input.statusReason);
  field("monitoringCategory", h.monitoringCategory ?? "", input.monitoringCategory ?? "");
  field("riskTypes", h.riskTypes ?? "", input.riskTypes ?? "");
  const byId = new Map(h.members.map((m) => [m.id, m]));
  for (const m of input.members) {
    const member = { name: m.name, idNumber: m.idNumber };
    const before = m.id !== null ? byId.get(m.id) : undefined;
    if (!before) {
      changes.push({ field: "member.added", before: "", after: m.name, member });
      continue;
    }
    const mf = (name: string, b: string, a: string) => {
      if (b !== a) changes.push({ field: `member.${name}`, before: b, after: a, member });
    };
    mf("name", before.name, m.name);
    mf("relation", before.relation, m.relation);
    mf("ableToWork", String(before.ableToWork), String(m.ableToWork));
    mf("phone", before.phone, m.phone);
    if (before.joinedOn !== undefined) mf("joinedOn", before.joinedOn ?? "", m.joinedOn ?? "");
  }
  return changes;
}
