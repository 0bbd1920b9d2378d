import { byPolicy, type Case } from "./types";

const none = () => ({});

// The audit trail for people (issue 15): the page with its filters and its
// Excel export read the same events, inside the reader's scope.
export const CASES: Case[] = [
  {
    route: "_app.audit-trail",
    kind: "loader",
    label: "audit trail filtered by kind, dates and record",
    path: () => "/audit-trail?entity=Household&from=2026-01-01&to=2026-12-31&record=0001",
    params: none,
    permission: "read:audit-trail",
    expect: byPolicy("read:audit-trail", 200),
  },
  { route: "resources.audit-trail[.]xlsx", kind: "loader", label: "audit trail export", path: () => "/resources/audit-trail.xlsx", params: none, permission: "read:audit-trail", expect: byPolicy("read:audit-trail", 200) },
  {
    route: "resources.audit-trail[.]xlsx",
    kind: "loader",
    label: "audit trail export with filters",
    path: () => "/resources/audit-trail.xlsx?entity=Household&from=2026-01-01",
    params: none,
    permission: "read:audit-trail",
    expect: byPolicy("read:audit-trail", 200),
  },
];
