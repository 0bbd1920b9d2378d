import type { CurrentUser } from "~/auth/session.server";
import { localeFromCookieHeader, type Locale } from "~/lib/i18n";
import { FORM_OVERHEAD_BYTES, readLimitedForm } from "~/lib/upload-limits.server";
import { translator } from "~/i18n";
import { getBatch, MAX_FILE_BYTES, startDryRun, type StartResult } from "./imports.server";

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

/** The message after an upload, for the batch's page: which file, of what kind, and that the dry run is checking it. */
export async function uploadedMessage(user: CurrentUser, request: Request, id: number): Promise<[to: string, key: string, params: Record<string, string>]> {
  const b = await getBatch(user, id);
  const t = translator(localeFromCookieHeader(request.headers.get("Cookie")));
  return [`/imports/${id}`, "importPage.saved.uploaded", { file: b?.fileName ?? "", kind: b ? t(`importPage.kind.${b.kind}`) : "" }];
}
