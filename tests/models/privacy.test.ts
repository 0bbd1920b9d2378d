/**
 * Personal numbers across every page, export and PDF (issue 13, item 1;
 * ADR 004 "Personal numbers"). Each role signs in and every loader of the
 * route-access matrix is called, plus each household's page and the audit
 * trail; whatever comes back (loader data as JSON, workbooks as their cell
 * text, PDFs through pdftotext) is scanned for personal data of households
 * the viewer does not manage:
 *   - a full ID number, a full phone or a full bank account;
 *   - a masked ID number while that person's birth date (YYYY-MM-DD or
 *     YYYYMMDD) appears anywhere in the same response: the mask hides exactly
 *     the birth date, so the two together rebuild the number.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { getUser, type CurrentUser } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import type { HouseholdInput, MemberInput } from "~/registry/household-form";
import { createHousehold, updateHousehold } from "~/registry/households.server";
import { makeIdNumber } from "~/registry/id-number";
import { maskIdNumber } from "~/registry/masking";
import { buildWorld, request, type World } from "../factories";
import type { Case } from "./access/types";

const caseModules = import.meta.glob<{ CASES: Case[] }>("./access/*.cases.ts", { eager: true });
const CASES: Case[] = Object.values(caseModules).flatMap((m) => m.CASES);
const extenders = import.meta.glob<{ extend: (w: World) => Promise<Record<string, number>> }>("./access/*.world.ts", { eager: true });
const modules = import.meta.glob("../../app/routes/*.tsx");
const load = async (route: string) => (await modules[`../../app/routes/${route}.tsx`]!()) as Record<string, (args: unknown) => Promise<unknown>>;

// The backup download is the database itself, for the administrator who keeps it.
const NOT_SCANNED = new Set(["resources.admin.backups.$name"]);

type Who = "admin" | "township" | "secretary" | "secretary2" | "accountant";
const WHO: Who[] = ["admin", "township", "secretary", "secretary2", "accountant"];

/** Personal numbers of one person or household, and the village whose secretary keeps them. */
interface Secret {
  label: string;
  villageId: number;
  full: string[];
  idNumber?: string;
  birthDate?: string;
}

let w: World;
let secrets: Secret[];
const pages: { route: string; label: string; path: string; params: Record<string, string> }[] = [];

const memberInput = (m: Partial<MemberInput> & Pick<MemberInput, "name" | "idNumber" | "birthDate">, row: number): MemberInput => ({
  row,
  id: null,
  relation: row === 0 ? "HEAD" : "DAUGHTER",
  sex: row === 0 ? "M" : "F",
  ableToWork: true,
  phone: "",
  ...m,
});

const householdInput = (v: World["v1"], code: string, members: MemberInput[], over: Partial<HouseholdInput> = {}): HouseholdInput => ({
  code,
  groupId: v.groups[0]!.id,
  address: "测试地址",
  phone: "",
  bankName: "菏泽农商银行",
  bankAccount: "",
  status: "ORDINARY",
  statusYear: null,
  statusReason: "",
  statusDate: null,
  members,
  ...over,
});

async function userOf(who: Who): Promise<CurrentUser> {
  return (await getUser(request("/", { cookie: w.users[who].cookie })))!;
}

beforeAll(async () => {
  w = await buildWorld();
  for (const m of Object.values(extenders)) Object.assign(w.extra, await m.extend(w));
  const secretary = await userOf("secretary");
  const secretary2 = await userOf("secretary2");
  // Households typed in through the form, so the trail holds what a secretary typed (birth dates, phones, accounts).
  const a = await createHousehold(
    secretary,
    w.v1.id,
    householdInput(
      w.v1,
      "0041",
      [
        memberInput({ name: "鲁明远", idNumber: makeIdNumber("371702", "19630417", "131"), birthDate: "1963-04-17", phone: "13912340041" }, 0),
        memberInput({ name: "鲁小雨", idNumber: makeIdNumber("371702", "19941123", "142"), birthDate: "1994-11-23", phone: "15866660041" }, 1),
      ],
      { phone: "13512340041", bankAccount: "6217000041000041417" },
    ),
  );
  const b = await createHousehold(
    secretary2,
    w.v2.id,
    householdInput(w.v2, "0042", [memberInput({ name: "刘长青", idNumber: makeIdNumber("371702", "19710829", "153"), birthDate: "1971-08-29", phone: "13612340042" }, 0)], {
      phone: "13712340042",
      bankAccount: "6217000042000042429",
    }),
  );
  if (!a.ok || !b.ok) throw new Error("fixture households did not save");
  // An edit: the trail's before and after carry the old and new numbers.
  const h = await prisma.household.findUniqueOrThrow({ where: { id: a.id }, include: { members: true } });
  const edited = await updateHousehold(
    secretary,
    a.id,
    householdInput(
      w.v1,
      "0041",
      h.members.map((m, i) => memberInput({ id: m.id, name: m.name, idNumber: m.idNumber, birthDate: m.birthDate, phone: i === 0 ? "13912349999" : m.phone }, i)),
      { phone: "13512349999", bankAccount: "6217000041000049999" },
    ),
  );
  if (!edited.ok) throw new Error("fixture edit did not save");
  // A snapshot stored before masking in the trail existed: full values as they were typed.
  await prisma.auditEvent.create({
    data: {
      actorId: w.users.secretary2.id,
      actorName: "secretary2",
      action: "update",
      entity: "Household",
      entityId: String(b.id),
      townshipId: w.v2.townshipId,
      villageId: w.v2.id,
      before: JSON.stringify({ phone: "13700000000", members: [{ idNumber: makeIdNumber("371702", "19710829", "153"), birthDate: "1971-08-29", phone: "13612340042" }] }),
      after: JSON.stringify({ phone: "13712340042", bankAccount: "6217000042000042429", members: [{ idNumber: makeIdNumber("371702", "19710829", "153"), birthDate: "1971-08-29" }] }),
    },
  });
  // The parties' receiving accounts, and a natural person taking land in V1 (a grower with an ID number and a mobile).
  await prisma.contractParty.updateMany({ where: { contractId: w.extra.contractV1 }, data: { receivingAccount: "6228480402564890018" } });
  const plot = await prisma.contractedPlot.findFirstOrThrow({ where: { householdId: w.h1.id } });
  const grower = await prisma.transferContract.create({
    data: {
      townshipId: w.v1.townshipId,
      villageId: w.v1.id,
      draftNo: "D-PRIVACY-1",
      transfereeKind: "GROWER",
      transfereeName: "王建设",
      transfereeEntityType: "自然人",
      transfereeCode: makeIdNumber("371702", "19800214", "171"),
      transfereePhone: "18912340077",
      form: "LEASE",
      use: "GRAIN",
      startDate: "2025-01-01",
      endDate: "2029-12-31",
      rentKind: "CASH",
      rentPerMu: "700.00",
      paymentTiming: "YEARLY",
      paymentMonthDay: "12-31",
      status: "DRAFT",
      createdById: w.users.secretary.id,
      parties: { create: { householdId: h.id, receivingAccount: "6228480402564890041" } },
      plots: { create: { plotId: plot.id, householdId: w.h1.id, area: "0.50" } },
    },
  });
  w.extra.contractGrower = grower.id;

  const households = await prisma.household.findMany({ include: { members: true } });
  secrets = households.flatMap((hh) => [
    { label: `household ${hh.code}@${hh.villageId}`, villageId: hh.villageId, full: [hh.phone, hh.bankAccount].filter((x) => x.length >= 11) },
    ...hh.members.map((m) => ({ label: `${m.name}`, villageId: hh.villageId, full: [m.idNumber, m.phone].filter((x) => x.length >= 11), idNumber: m.idNumber, birthDate: m.birthDate })),
  ]);
  const parties = await prisma.contractParty.findMany({ include: { contract: { select: { villageId: true } } } });
  for (const p of parties) if (p.receivingAccount) secrets.push({ label: `receiving account of contract ${p.contractId}`, villageId: p.contract.villageId, full: [p.receivingAccount] });
  secrets.push({ label: "grower 王建设", villageId: w.v1.id, full: [grower.transfereeCode, grower.transfereePhone], idNumber: grower.transfereeCode, birthDate: "1980-02-14" });

  for (const c of CASES) if (c.kind === "loader" && !NOT_SCANNED.has(c.route)) pages.push({ route: c.route, label: c.label, path: c.path(w), params: c.params(w) });
  for (const hh of households) {
    pages.push({ route: "_app.households.$id._index", label: `household page ${hh.code}@${hh.villageId}`, path: `/households/${hh.id}`, params: { id: String(hh.id) } });
  }
  pages.push({ route: "_app.households._index", label: "household list", path: "/households", params: {} });
  pages.push({ route: "resources.households[.]xlsx", label: "households workbook, whole scope", path: "/resources/households.xlsx", params: {} });
  pages.push({ route: "_app.audit-trail", label: "audit trail", path: "/audit-trail", params: {} });
  for (const route of ["_app.contracts.$id._index", "resources.contracts.$id.pdf"]) {
    pages.push({ route, label: "grower's contract", path: route.startsWith("resources") ? `/resources/contracts/${grower.id}/pdf` : `/contracts/${grower.id}`, params: { id: String(grower.id) } });
  }
});

async function text(res: Response): Promise<string> {
  const type = res.headers.get("Content-Type") ?? "";
  const bytes = Buffer.from(await res.arrayBuffer());
  if (type.includes("pdf")) {
    const file = path.join(os.tmpdir(), `privacy-${process.pid}-${Math.random().toString(36).slice(2)}.pdf`);
    fs.writeFileSync(file, bytes);
    try {
      // In the order it was drawn (a table cell's wrapped lines one after another), without any whitespace.
      return execFileSync("pdftotext", ["-raw", file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
  if (type.includes("spreadsheetml")) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const cells: string[] = [];
    for (const sheet of wb.worksheets) sheet.eachRow((row) => row.eachCell((cell) => cells.push(typeof cell.value === "object" ? JSON.stringify(cell.value) : String(cell.value ?? ""))));
    return cells.join("\n");
  }
  return bytes.toString("utf8");
}

/** What a loader hands out, as text; null when it answers with an error or a redirect. */
async function output(route: string, path: string, params: Record<string, string>, cookie: string): Promise<string | null> {
  const mod = await load(route);
  let result: unknown;
  try {
    result = await mod.loader!({ request: request(path, { cookie }), params, context: { clientAddress: "192.0.2.1" } });
  } catch (e) {
    if (e instanceof Response) return null;
    throw e;
  }
  if (result instanceof Response) return result.status === 200 ? text(result) : null;
  const data = result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit" ? (result as unknown as { data: unknown }).data : result;
  return JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

function leaksIn(out: string, viewer: Who): string[] {
  const managed = viewer === "secretary" ? w.v1.id : viewer === "secretary2" ? w.v2.id : null;
  const found: string[] = [];
  for (const s of secrets) {
    if (s.villageId === managed) continue;
    for (const v of s.full) if (out.includes(v)) found.push(`${s.label}: full ${v}`);
    if (s.idNumber && s.birthDate && out.includes(maskIdNumber(s.idNumber)) && (out.includes(s.birthDate) || out.includes(s.birthDate.replace(/-/g, "")))) {
      found.push(`${s.label}: masked ID ${maskIdNumber(s.idNumber)} beside the birth date ${s.birthDate}`);
    }
  }
  return found;
}

describe("personal numbers of households the viewer does not manage", () => {
  for (const who of WHO) {
    it(`never reach ${who} in full, nor a masked ID with its birth date, on any page, export or PDF`, { timeout: 120_000 }, async () => {
      const leaks: string[] = [];
      const scanned = new Set<string>();
      for (const p of pages) {
        const out = await output(p.route, p.path, p.params, w.users[who].cookie);
        if (out === null) continue;
        scanned.add(p.route);
        for (const l of leaksIn(out, who)) leaks.push(`${p.route} (${p.label}): ${l}`);
      }
      // the pages that show personal numbers were read, not refused
      for (const route of ["_app.households._index", "_app.households.$id._index", "resources.households[.]xlsx"]) expect(scanned).toContain(route);
      if (who !== "secretary2") expect(scanned).toContain("resources.contracts.$id.pdf");
      if (who === "admin" || who === "township") expect(scanned).toContain("_app.audit-trail");
      expect(scanned.size).toBeGreaterThan(20);
      expect(leaks).toEqual([]);
    });
  }

  it("the secretary who manages a household sees its numbers in full on its page", async () => {
    const h = await prisma.household.findFirstOrThrow({ where: { code: "0041" }, include: { members: true } });
    const out = (await output("_app.households.$id._index", `/households/${h.id}`, { id: String(h.id) }, w.users.secretary.cookie))!;
    for (const v of [h.phone, h.bankAccount, ...h.members.flatMap((m) => [m.idNumber, m.phone, m.birthDate])]) expect(out).toContain(v);
  });
});

describe("the contract a farmer signs (issue 13, item 2)", () => {
  const pdf = async (who: Who, id: number) => (await output("resources.contracts.$id.pdf", `/resources/contracts/${id}/pdf`, { id: String(id) }, w.users[who].cookie))!;

  it("carries the parties' ID numbers, phones and accounts whole on the secretary's copy for signing", async () => {
    const h = await prisma.household.findFirstOrThrow({ where: { code: "0041" }, include: { members: { where: { relation: "HEAD" } } } });
    const c = await prisma.transferContract.findUniqueOrThrow({ where: { id: w.extra.contractGrower } });
    const text = await pdf("secretary", c.id);
    for (const v of [h.members[0]!.idNumber, h.phone, "6228480402564890041", c.transfereeCode, c.transfereePhone]) expect(text).toContain(v);
    expect(text).not.toContain("已作脱敏处理");
  });

  it("masks them on every other copy, and says so", async () => {
    const h = await prisma.household.findFirstOrThrow({ where: { code: "0041" }, include: { members: { where: { relation: "HEAD" } } } });
    const c = await prisma.transferContract.findUniqueOrThrow({ where: { id: w.extra.contractGrower } });
    for (const who of ["township", "admin"] as const) {
      const text = await pdf(who, c.id);
      expect(text).toContain(maskIdNumber(h.members[0]!.idNumber));
      expect(text).toContain(maskIdNumber(c.transfereeCode));
      for (const v of [h.members[0]!.idNumber, h.phone, "6228480402564890041", c.transfereeCode, c.transfereePhone]) expect(text).not.toContain(v);
      expect(text).toContain("已作脱敏处理");
    }
  });
});

describe("the audit trail", () => {
  it("stores snapshots of household edits with personal numbers masked", async () => {
    const h = await prisma.household.findFirstOrThrow({ where: { code: "0041" }, include: { members: true } });
    const events = await prisma.auditEvent.findMany({ where: { entity: "Household", entityId: String(h.id) } });
    expect(events.map((e) => e.action).sort()).toEqual(["create", "update"]);
    const stored = events.map((e) => `${e.before ?? ""}${e.after ?? ""}`).join("\n");
    for (const v of [h.phone, h.bankAccount, "13512340041", "6217000041000041417", ...h.members.flatMap((m) => [m.idNumber, m.phone, m.birthDate])]) expect(stored).not.toContain(v);
    // what changed is still there: the masked numbers and the birth year
    expect(stored).toContain(maskIdNumber(h.members[0]!.idNumber));
    expect(stored).toContain('"birthDate":"1963"');
  });
});
