import { hasPermission, type Permission, type Role } from "~/auth/permissions";
import type { World } from "../../factories";

export type Who = "anonymous" | "admin" | "township" | "secretary" | "secretary2" | "accountant" | "chair" | "supervisor";
export const WHO: Who[] = ["anonymous", "admin", "township", "secretary", "secretary2", "accountant", "chair", "supervisor"];

export interface Case {
  route: string;
  kind: "loader" | "action";
  label: string;
  path: (w: World) => string;
  params: (w: World) => Record<string, string>;
  form?: (w: World) => Record<string, string | string[]>;
  /** for actions that end the session they run in */
  freshSession?: true;
  /**
   * What the route asks for: a permission of app/auth/policy.ts (or any one of
   * several, for a page that serves each for its own end), "signed-in" for
   * what every user does to their own things (password, sessions, jobs), or
   * "public". Every signed-in user whose role lacks the permission must get
   * 403; every action must name one (route-access.test.ts checks both).
   */
  permission?: Permission | readonly Permission[] | "signed-in" | "public";
  /**
   * For an action whose permission is a read:* one: why it changes nothing
   * its user could not read already (it only starts a print job).
   */
  reads?: string;
  expect: Record<Who, number>;
}

/** The permissions a case names, as a list (none for signed-in and public cases). */
export const permissionsOf = (c: Pick<Case, "permission">): readonly Permission[] =>
  c.permission === undefined || c.permission === "signed-in" || c.permission === "public" ? [] : typeof c.permission === "string" ? [c.permission] : c.permission;

/** The role each signed-in test user holds (tests/factories.ts buildWorld). */
export const ROLE_OF: Record<Exclude<Who, "anonymous">, Role> = {
  admin: "ADMIN",
  township: "TOWNSHIP",
  secretary: "SECRETARY",
  secretary2: "SECRETARY",
  accountant: "ACCOUNTANT",
  chair: "CHAIR",
  supervisor: "SUPERVISOR",
};

/**
 * Expected statuses read from the policy table: anonymous users are sent to
 * sign in, roles without the permission get 403, the others `allowed` unless
 * `over` says otherwise (a record outside their scope: 404).
 */
export const byPolicy = (permission: Permission | readonly Permission[], allowed: number, over: Partial<Record<Who, number>> = {}): Record<Who, number> =>
  ({
    anonymous: 302,
    ...Object.fromEntries(Object.entries(ROLE_OF).map(([who, role]) => [who, (typeof permission === "string" ? [permission] : permission).some((p) => hasPermission(role, p)) ? allowed : 403])),
    ...over,
  }) as Record<Who, number>;


export const all = (n: number, over: Partial<Record<Who, number>> = {}): Record<Who, number> =>
  ({ ...Object.fromEntries(WHO.map((w) => [w, n])), ...over }) as Record<Who, number>;
/** Anonymous users are sent to sign in; everyone else gets `n` unless said otherwise. */
export const signedIn = (n: number, over: Partial<Record<Who, number>> = {}) => all(n, { anonymous: 302, ...over });
export const none = () => ({});
