import type { World } from "../../factories";

export type Who = "anonymous" | "admin" | "township" | "secretary" | "secretary2" | "accountant";
export const WHO: Who[] = ["anonymous", "admin", "township", "secretary", "secretary2", "accountant"];

export interface Case {
  route: string;
  kind: "loader" | "action";
  label: string;
  path: (w: World) => string;
  params: (w: World) => Record<string, string>;
  form?: (w: World) => Record<string, string | string[]>;
  /** for actions that end the session they run in */
  freshSession?: true;
  expect: Record<Who, number>;
}


export const all = (n: number, over: Partial<Record<Who, number>> = {}): Record<Who, number> =>
  ({ ...Object.fromEntries(WHO.map((w) => [w, n])), ...over }) as Record<Who, number>;
/** Anonymous users are sent to sign in; everyone else gets `n` unless said otherwise. */
export const signedIn = (n: number, over: Partial<Record<Who, number>> = {}) => all(n, { anonymous: 302, ...over });
export const none = () => ({});
