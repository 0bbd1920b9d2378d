import type { Permission, Role } from "./permissions";

/**
 * The one access policy (docs/decisions/004-roles-and-scopes.md): for each
 * permission, the roles that hold it and where the record must lie relative
 * to the user's own scope.
 *
 * - "any": anywhere inside the user's scope (`scopeIncludes`; an administrator's
 *   scope is everything, a township official's their township, …).
 * - "village": only in the user's own village (a village-scoped user).
 * - "cooperative": only the user's own cooperative's records.
 * - "township": only in the user's own township.
 *
 * `permissions.ts` derives `hasPermission` and `permissionsOf` from this table;
 * the route × role access test checks cases that name a permission against it.
 */
export type ScopeRelation = "village" | "cooperative" | "township" | "any";

export interface PolicyRow {
  roles: readonly Role[];
  scope: ScopeRelation;
  note: string;
}

export const POLICY: Record<Permission, PolicyRow> = {
  "read:household": { roles: ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT"], scope: "any", note: "Administrators read the registry to manage accounts; personal numbers follow app/registry/privacy.ts." },
  "write:household": { roles: ["SECRETARY"], scope: "any", note: "Only the village secretary keeps the registry (a secretary's scope is their village)." },
  "read:cooperative": { roles: ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT"], scope: "any", note: "" },
  "write:cooperative": { roles: ["ADMIN", "ACCOUNTANT"], scope: "any", note: "Accountants edit only their own cooperative; administrators any in their scope (canEditCooperative)." },
  "read:audit-trail": { roles: ["ADMIN", "TOWNSHIP"], scope: "any", note: "" },
  "manage:account": { roles: ["ADMIN"], scope: "any", note: "Administrators manage accounts and scopes but keep no books." },
  "file:contract": { roles: ["TOWNSHIP"], scope: "township", note: "Township officials file (备案) contracts of their own township." },
  "write:contract": { roles: ["SECRETARY"], scope: "village", note: "Secretaries draw up their own village's contracts." },
  "read:contract": { roles: ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT"], scope: "any", note: "" },
  "write:dividend": { roles: ["ACCOUNTANT"], scope: "cooperative", note: "Accountants keep the dividend runs of their own cooperative." },
  "issue:dividend": { roles: ["ACCOUNTANT"], scope: "cooperative", note: "Only the cooperative's accountant issues its runs." },
  "read:audit-view": { roles: ["TOWNSHIP", "SECRETARY"], scope: "any", note: "The income audit is read-only for township officials." },
  "read:plot": { roles: ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT"], scope: "any", note: "" },
  "write:plot": { roles: ["SECRETARY", "ACCOUNTANT"], scope: "any", note: "Secretaries keep their village's plots, accountants those of the villages their cooperative serves." },
  "read:dividend": { roles: ["ADMIN", "TOWNSHIP", "SECRETARY", "ACCOUNTANT"], scope: "any", note: "" },
  "write:harvest": { roles: ["SECRETARY", "ACCOUNTANT"], scope: "any", note: "Inside the scope; an accountant only on their own cooperative's plots (canWriteHarvest)." },
  "write:income": { roles: ["SECRETARY", "ACCOUNTANT"], scope: "any", note: "Secretaries keep typed income; accountants only record their own cooperative's base work days (canWriteEntries, canWriteWorkDays)." },
  "manage:monitoring-line": { roles: ["ADMIN", "TOWNSHIP"], scope: "any", note: "" },
  "import:records": { roles: ["ADMIN", "SECRETARY"], scope: "any", note: "Secretaries import their own village's records; administrators a township's." },
  "manage:backup": { roles: ["ADMIN"], scope: "any", note: "" },
  "set:reference-price": { roles: ["ADMIN", "TOWNSHIP"], scope: "any", note: "Reference prices settle rent in kind in every village, so they are not a secretary's to set." },
};
