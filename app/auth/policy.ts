import type { Permission, Role } from "./permissions";

/**
 * The one access policy (docs/decisions/004-roles-and-scopes.md, "The policy
 * table"): for each permission, the roles that hold it and, for each of them,
 * the relation a record (the target) must bear to the holder's own scope.
 *
 * - "any": anywhere inside the user's scope (`scopeIncludes`): everything for
 *   an administrator of the whole system, their township for a township's
 *   user, their village for a secretary, the villages their cooperative
 *   serves for an accountant.
 * - "township": only in the user's own township (a township-scoped user).
 * - "village": only in the user's own village (a village-scoped user).
 * - "cooperative": only the user's own cooperative's records (a
 *   cooperative-scoped user) and, when the record lies in a village, in one
 *   the cooperative serves.
 * - "served-villages": only in a village the user's cooperative serves,
 *   whoever's the record is (a cooperative-scoped user).
 *
 * `can(user, permission, target)` in permissions.ts is the only reading of
 * this table for one record; `hasPermission` and `permissionsOf` read which
 * roles hold what. Read permissions are also enforced by the scope filter of
 * each query (`*ScopeWhere`), which answers 404 for a record outside it.
 */
export type ScopeRelation = "any" | "township" | "village" | "cooperative" | "served-villages";

export const SCOPE_RELATIONS = ["any", "township", "village", "cooperative", "served-villages"] as const satisfies readonly ScopeRelation[];

export interface PolicyRow {
  /** The roles that hold the permission, each with the relation its records must bear to the holder's scope. */
  roles: Partial<Record<Role, ScopeRelation>>;
  note: string;
}

const EVERYONE = { ADMIN: "any", TOWNSHIP: "any", SECRETARY: "any", ACCOUNTANT: "any", CHAIR: "any", SUPERVISOR: "any" } as const;

export const POLICY: Record<Permission, PolicyRow> = {
  "read:household": { roles: EVERYONE, note: "Administrators read the registry to manage accounts; personal numbers follow app/registry/privacy.ts (write:household decides who sees them whole)." },
  "write:household": { roles: { SECRETARY: "village" }, note: "Only the village secretary keeps the registry: households, members, status, contracted plots." },
  "read:cooperative": { roles: EVERYONE, note: "cooperativeScopeWhere: a secretary reads the cooperatives serving their village, an accountant their own." },
  "write:cooperative": { roles: { ADMIN: "any", ACCOUNTANT: "cooperative" }, note: "Editing a cooperative: accountants their own, administrators any in their scope." },
  "manage:cooperative": { roles: { ADMIN: "any" }, note: "Registering a new cooperative, in a township of the administrator's scope." },
  "read:audit-trail": { roles: { ADMIN: "any", TOWNSHIP: "any" }, note: "" },
  "manage:account": { roles: { ADMIN: "any" }, note: "Administrators manage accounts and scopes but keep no books." },
  "file:contract": { roles: { TOWNSHIP: "township" }, note: "Township officials file (备案) the contracts of their own township." },
  "write:contract": { roles: { SECRETARY: "village" }, note: "Secretaries draw up, sign and terminate their own village's contracts and record its rent payments and penalty settlements." },
  "read:contract": { roles: EVERYONE, note: "contractScopeWhere: an accountant reads only the contracts their cooperative is party to." },
  "write:dividend": { roles: { ACCOUNTANT: "cooperative" }, note: "Accountants draft, publish and discard the dividend runs, keep member accounts, resolve objections and record payments of their own cooperative; approving and issuing are the chair's." },
  "issue:dividend": { roles: { CHAIR: "cooperative" }, note: "Only the cooperative's chair (理事长) issues its runs (maker-checker: the accountant drafts, publishes and pays)." },
  "approve:dividend": {
    roles: { CHAIR: "cooperative" },
    note: "Only the cooperative's chair approves a draft, and never one they drafted themselves (approveRun refuses when the approver is the run's createdById, whatever roles change later).",
  },
  "object:dividend": {
    roles: { ACCOUNTANT: "cooperative", SUPERVISOR: "cooperative" },
    note: "Objections to a published run are recorded by the supervisor (监事) or by the accountant who receives them; resolving them stays with the accountant (write:dividend).",
  },
  "read:audit-view": { roles: { TOWNSHIP: "any", SECRETARY: "any" }, note: "The income audit is read-only for township officials." },
  "read:plot": { roles: EVERYONE, note: "" },
  "write:plot": { roles: { SECRETARY: "village", ACCOUNTANT: "served-villages" }, note: "Secretaries keep their village's plots, accountants the plots of every village their cooperative serves (not only the cooperative's own)." },
  "read:dividend": {
    roles: EVERYONE,
    note: "Starting the batch PDF of a run's statements is a read: the job renders only what its requester may read, and checks again when it runs.",
  },
  "write:harvest": { roles: { SECRETARY: "village", ACCOUNTANT: "cooperative" }, note: "Secretaries record on any plot of their village; an accountant only on their own cooperative's plots in the villages it serves." },
  "write:income": { roles: { SECRETARY: "village" }, note: "Typed income entries of a household are the village secretary's." },
  "write:work-days": { roles: { SECRETARY: "village", ACCOUNTANT: "cooperative" }, note: "Base work days: secretaries for their village's households, accountants only for their own cooperative and its villages." },
  "read:monitoring-line": { roles: { ADMIN: "any", TOWNSHIP: "any", SECRETARY: "any" }, note: "" },
  "manage:monitoring-line": { roles: { ADMIN: "any", TOWNSHIP: "any" }, note: "" },
  "import:records": { roles: { ADMIN: "any", SECRETARY: "village" }, note: "Secretaries import their own village's records; administrators any village of their scope." },
  "manage:backup": { roles: { ADMIN: "any" }, note: "" },
  "set:reference-price": { roles: { ADMIN: "any", TOWNSHIP: "township" }, note: "Reference prices settle rent in kind in every village, so they are not a secretary's to set; a township official sets their own township's." },
  "manage:reference-layer": { roles: { ADMIN: "any" }, note: "Reference layers (boundaries, roads) drawn under every map of a township; reading them goes with read:plot." },
  "read:all-jobs": { roles: { ADMIN: "any" }, note: "Everyone reads their own jobs; administrators watch every job of their scope (what waits, runs or failed). Only whoever asked downloads a result." },
  "read:books": {
    roles: { ADMIN: "any", TOWNSHIP: "township", ACCOUNTANT: "cooperative", CHAIR: "cooperative", SUPERVISOR: "cooperative" },
    note: "The cooperative's books (ADR 021): its own officers, the township's rural-economy office for the organisations of its township, administrators anywhere.",
  },
  "write:voucher": { roles: { ACCOUNTANT: "cooperative" }, note: "The accountant makes manual vouchers, books the pending money events and adds sub-accounts of their own cooperative." },
  "check:voucher": { roles: { CHAIR: "cooperative" }, note: "The chair checks (审核) vouchers, never one they made themselves (checkVoucher refuses the maker)." },
  "close:books": { roles: { ACCOUNTANT: "cooperative" }, note: "The accountant closes months and the year of their own cooperative's books once every voucher is checked." },
};
