import { BACKUP_NAME } from "./admin.world";
import { byPolicy, none, signedIn, type Case } from "./types";

const village = (key: "v1" | "v2" | "v3") => (w: { v1: { id: number }; v2: { id: number }; v3: { id: number } }) => String(w[key].id);

// List exports (every role that reads the list may download it, inside its
// scope) and the administrator's backups (manage:backup only).
export const CASES: Case[] = [
  { route: "resources.households[.]xlsx", kind: "loader", label: "households workbook", path: () => "/resources/households.xlsx", params: none, expect: signedIn(200) },
  {
    route: "resources.households[.]xlsx",
    kind: "loader",
    label: "households workbook filtered to V2 (another village's id answers 404, as its pages do)",
    path: (w) => `/resources/households.xlsx?village=${village("v2")(w)}&q=刘`,
    params: none,
    expect: signedIn(200, { secretary: 404, accountant: 404, chair: 404, supervisor: 404 }),
  },
  { route: "resources.households.plots[.]xlsx", kind: "loader", label: "contracted plots workbook", path: () => "/resources/households/plots.xlsx?status=ORDINARY", params: none, expect: signedIn(200) },
  { route: "resources.contracts[.]xlsx", kind: "loader", label: "contracts workbook", path: () => "/resources/contracts.xlsx?status=ACTIVE", params: none, expect: signedIn(200) },
  { route: "resources.contracts.arrears[.]xlsx", kind: "loader", label: "arrears workbook", path: () => "/resources/contracts/arrears.xlsx", params: none, expect: signedIn(200) },
  { route: "resources.plots[.]xlsx", kind: "loader", label: "orchard plots workbook", path: () => "/resources/plots.xlsx", params: none, expect: signedIn(200) },
  {
    route: "resources.plots[.]xlsx",
    kind: "loader",
    label: "orchard plots workbook of V1",
    path: (w) => `/resources/plots.xlsx?village=${village("v1")(w)}`,
    params: none,
    expect: signedIn(200, { secretary2: 404 }),
  },
  {
    route: "resources.plots[.]xlsx",
    kind: "loader",
    label: "orchard plots workbook of V3 in another township",
    path: (w) => `/resources/plots.xlsx?village=${village("v3")(w)}`,
    params: none,
    expect: signedIn(404, { admin: 200 }),
  },

  { route: "_app.admin.backups", kind: "loader", label: "backup page", path: () => "/admin/backups", params: none, permission: "manage:backup", expect: byPolicy("manage:backup", 200) },
  { route: "_app.admin.backups", kind: "action", label: "create a backup (302: redirect with a message)", path: () => "/admin/backups", params: none, form: () => ({ intent: "create" }), permission: "manage:backup", expect: byPolicy("manage:backup", 302) },
  {
    route: "_app.admin.backups",
    kind: "action",
    label: "check a backup",
    path: () => "/admin/backups",
    params: none,
    form: () => ({ intent: "check", name: BACKUP_NAME }),
    permission: "manage:backup",
    expect: byPolicy("manage:backup", 200),
  },
  {
    route: "_app.admin.backups",
    kind: "action",
    label: "check a file outside the backup folder",
    path: () => "/admin/backups",
    params: none,
    form: () => ({ intent: "check", name: "../prisma/data.db" }),
    permission: "manage:backup",
    expect: byPolicy("manage:backup", 404),
  },
  { route: "_app.admin.backups", kind: "action", label: "unknown intent", path: () => "/admin/backups", params: none, form: () => ({ intent: "restore" }), permission: "manage:backup", expect: byPolicy("manage:backup", 400) },
  {
    route: "resources.admin.backups.$name",
    kind: "loader",
    label: "download a backup",
    path: () => `/resources/admin/backups/${BACKUP_NAME}`,
    params: () => ({ name: BACKUP_NAME }),
    permission: "manage:backup",
    expect: byPolicy("manage:backup", 200),
  },
  {
    route: "resources.admin.backups.$name",
    kind: "loader",
    label: "download a file outside the backup folder",
    path: () => "/resources/admin/backups/..%2Fdata.db",
    params: () => ({ name: "../data.db" }),
    permission: "manage:backup",
    expect: byPolicy("manage:backup", 404),
  },
];
