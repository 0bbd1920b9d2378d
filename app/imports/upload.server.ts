import type { CurrentUser } from "~/auth/session.server";
import { startDryRun, type StartResult } from "./imports.server";

/** The upload form's fields, as both upload routes receive them. */
export async function uploadFromForm(user: CurrentUser, form: FormData): Promise<StartResult> {
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, field: "file", error: { key: "importPage.fileRequired" } };
  return startDryRun(user, {
    kind: String(form.get("kind") ?? ""),
    villageId: Number(form.get("villageId")),
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
    updateExisting: form.get("updateExisting") === "on",
  });
}
