import type { LoaderFunctionArgs } from "@remix-run/node";
import { backupFile, downloadBackup } from "~/admin/backups.server";
import { requirePermission } from "~/auth/permissions.server";
import { notFound } from "~/lib/http";

/** A backup file as a download, for administrators only; each download is recorded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "manage:backup");
  const file = backupFile(params.name ?? "");
  if (!file) notFound();
  const { body, headers } = await downloadBackup(user, file);
  return new Response(body, { headers });
}
