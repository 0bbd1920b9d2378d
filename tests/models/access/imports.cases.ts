import { byPolicy, none, type Case, type Who } from "./types";

// Imports: a secretary into their village, an administrator anywhere.
const importer = (n: number, over: Partial<Record<Who, number>> = {}) => byPolicy("import:records", n, over);
export const CASES: Case[] = [
  { route: "_app.imports._index", kind: "loader", label: "imports page", path: () => "/imports", params: none, expect: importer(200) },
  { route: "_app.imports._index", kind: "action", label: "upload without a file (400 = past access)", path: () => "/imports", params: none, form: () => ({ kind: "HOUSEHOLDS" }), permission: "import:records", expect: importer(400) },
  { route: "resources.imports.upload", kind: "action", label: "upload by script without a file", path: () => "/resources/imports/upload", params: none, form: () => ({ kind: "HOUSEHOLDS" }), permission: "import:records", expect: importer(400) },
  { route: "_app.imports.$id", kind: "loader", label: "a batch of V1", path: (w) => `/imports/${w.extra.importV1}`, params: (w) => ({ id: String(w.extra.importV1) }), expect: importer(200, { secretary2: 404 }) },
  {
    route: "_app.imports.$id",
    kind: "action",
    label: "import a batch of V1 that has errors (400 = past access)",
    path: (w) => `/imports/${w.extra.importV1}`,
    params: (w) => ({ id: String(w.extra.importV1) }),
    form: () => ({ intent: "import" }),
    permission: "import:records",
    expect: importer(400, { secretary2: 404 }),
  },
  { route: "resources.imports.$id.errors[.]xlsx", kind: "loader", label: "error file of a V1 batch", path: (w) => `/resources/imports/${w.extra.importV1}/errors.xlsx`, params: (w) => ({ id: String(w.extra.importV1) }), expect: importer(200, { secretary2: 404 }) },
  { route: "resources.imports.template.$kind[.]xlsx", kind: "loader", label: "household template", path: () => "/resources/imports/template/HOUSEHOLDS.xlsx", params: () => ({ kind: "HOUSEHOLDS" }), expect: importer(200) },
];
