import { byPolicy, none, signedIn, type Case } from "./types";

// The income audit is read by township officials and secretaries (their own
// village); base accountants only record work days; administrators and
// township officials keep the monitoring lines.
// A cooperative's chair and supervisor do not read the audit either (read:audit-view).
const reader = (over: Parameters<typeof signedIn>[1] = {}) => signedIn(200, { admin: 403, accountant: 403, chair: 403, supervisor: 403, ...over });
export const CASES: Case[] = [
  { route: "_app.income._index", kind: "loader", label: "township audit", path: () => "/income?year=2025", params: none, expect: reader() },
  { route: "_app.income.villages.$villageId", kind: "loader", label: "audit of V1", path: (w) => `/income/villages/${w.v1.id}`, params: (w) => ({ villageId: String(w.v1.id) }), expect: reader({ secretary2: 404 }) },
  { route: "_app.income.villages.$villageId", kind: "loader", label: "audit of V3 in another township", path: (w) => `/income/villages/${w.v3.id}`, params: (w) => ({ villageId: String(w.v3.id) }), expect: reader({ township: 404, secretary: 404, secretary2: 404 }) },
  {
    route: "_app.income.households.$id",
    kind: "loader",
    label: "income account of H1 (readers of the audit; base accountants to record work days)",
    path: (w) => `/income/households/${w.h1.id}`,
    params: (w) => ({ id: String(w.h1.id) }),
    permission: ["read:audit-view", "write:work-days"],
    expect: byPolicy(["read:audit-view", "write:work-days"], 200, { secretary2: 404 }),
  },
  {
    route: "_app.income.households.$id",
    kind: "loader",
    label: "income account of H3",
    path: (w) => `/income/households/${w.h3.id}`,
    params: (w) => ({ id: String(w.h3.id) }),
    permission: ["read:audit-view", "write:work-days"],
    expect: byPolicy(["read:audit-view", "write:work-days"], 404),
  },
  {
    route: "_app.income.households.$id",
    kind: "action",
    label: "add an income entry to H1 (invalid: 400 = past access)",
    path: (w) => `/income/households/${w.h1.id}`,
    params: (w) => ({ id: String(w.h1.id) }),
    form: () => ({ intent: "entry", year: "2025", category: "TRANSFER", kind: "PENSION", amount: "-5" }),
    permission: "write:income",
    expect: byPolicy("write:income", 400, { secretary2: 404 }),
  },
  {
    route: "_app.income.households.$id",
    kind: "action",
    label: "add work days to H1 (invalid: 400 = past access)",
    path: (w) => `/income/households/${w.h1.id}`,
    params: (w) => ({ id: String(w.h1.id) }),
    form: () => ({ intent: "work", personId: "", days: "0" }),
    permission: "write:work-days",
    expect: byPolicy("write:work-days", 400, { secretary2: 404 }),
  },
  {
    route: "_app.income.households.$id",
    kind: "action",
    label: "add an income entry to H3 in another township",
    path: (w) => `/income/households/${w.h3.id}`,
    params: (w) => ({ id: String(w.h3.id) }),
    form: () => ({ intent: "entry", year: "2025", category: "TRANSFER", kind: "PENSION", amount: "100", source: "养老金" }),
    permission: "write:income",
    expect: byPolicy("write:income", 404),
  },
  { route: "_app.income.lines", kind: "loader", label: "monitoring lines", path: () => "/income/lines", params: none, permission: "read:monitoring-line", expect: byPolicy("read:monitoring-line", 200) },
  {
    route: "_app.income.lines",
    kind: "action",
    label: "enter a monitoring line (invalid: 400 = past access)",
    path: () => "/income/lines",
    params: none,
    form: () => ({ year: "2025", provinceCode: "37", amount: "", source: "" }),
    permission: "manage:monitoring-line",
    expect: byPolicy("manage:monitoring-line", 400),
  },
  { route: "_app.income.work-days", kind: "loader", label: "base work register", path: () => "/income/work-days", params: none, permission: "write:work-days", expect: byPolicy("write:work-days", 200) },
  {
    route: "_app.income.work-days",
    kind: "action",
    label: "record work days for an unknown ID number",
    path: () => "/income/work-days",
    params: none,
    form: () => ({ idNumber: "110105194912310021", days: "1" }),
    permission: "write:work-days",
    expect: byPolicy("write:work-days", 400),
  },
  { route: "resources.income.villages.$villageId.report[.]pdf", kind: "loader", label: "audit report PDF of V1", path: (w) => `/resources/income/villages/${w.v1.id}/report.pdf`, params: (w) => ({ villageId: String(w.v1.id) }), expect: reader({ secretary2: 404 }) },
  { route: "resources.income.villages.$villageId.audit[.]xlsx", kind: "loader", label: "audit workbook of V1", path: (w) => `/resources/income/villages/${w.v1.id}/audit.xlsx`, params: (w) => ({ villageId: String(w.v1.id) }), expect: reader({ secretary2: 404 }) },
];
