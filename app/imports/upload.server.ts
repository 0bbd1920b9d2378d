import type { CurrentUser } from "~/auth/session.server";
import { localeFromCookieHeader, type Locale } from "~/lib/i18n";
import { FORM_OVERHEAD_BYTES, readLimitedForm } from "~/lib/upload-limits.server";
import { MAX_FILE_BYTES, startDryRun, type StartResult } from "./imports.server";

export type UploadResult = StartResult & { status?: number };

/**
 * Reads the upload form from the request within the file limit, then starts
 * the dry run. A body over the limit is refused while it arrives (413, the
 * message next to the file field) and nothing is stored.
 */
export async function uploadFromRequest(user: CurrentUser, request: Request, maxFileBytes = MAX_FILE_BYTES): Promise<UploadResult> {
  const read = await readLimitedForm(request, { maxBodyBytes: maxFileBytes + FORM_OVERHEAD_BYTES, maxFileBytes });
  if (!read.ok) {
    return read.reason === "tooLarge"
      ? { ok: false, status: 413, field: "file", error: { key: "importPage.fileTooLarge", params: { mb: Math.round((maxFileBytes / 1024 / 1024) * 10) / 10 } } }
      : { ok: false, status: 400, field: "file", error: { key: "importPage.uploadFailed" } };
  }
  return uploadFromForm(user, read.form, localeFromCookieHeader(request.headers.get("Cookie")));
}

/** The upload form's fields, as both upload routes receive them. */
export async function uploadFromForm(user: CurrentUser, form: FormData, locale?: Locale): Promise<StartResult> {
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, field: "file", error: { key: "importPage.fileRequired" } };
  return startDryRun(user, {
    kind: String(form.get("kind") ?? ""),
    villageId: Number(form.get("villageId")),
    fileName: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
    updateExisting: form.get("updateExisting") === "on",
    // the dry run writes the error file in the uploader's language
    locale,
  });
}
