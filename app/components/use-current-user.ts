import { useRouteLoaderData } from "@remix-run/react";
import type { Permission, Role } from "~/auth/permissions";

export interface ClientUser {
  id: number;
  displayName: string;
  username: string;
  role: Role;
  scopeName: string;
  permissions: readonly Permission[];
}

/** The signed-in user as the `_app` layout loaded it; only for rendering, never for access checks. */
export function useCurrentUser(): ClientUser {
  const data = useRouteLoaderData("routes/_app") as { user: ClientUser } | undefined;
  if (!data) throw new Error("useCurrentUser outside the signed-in layout");
  return data.user;
}

export function useCan() {
  const user = useCurrentUser();
  return (permission: Permission) => user.permissions.includes(permission);
}
