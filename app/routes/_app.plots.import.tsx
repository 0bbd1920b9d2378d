import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useT } from "~/i18n/use-t";
import { optionalId } from "~/plots/params";
import { FORM_OVERHEAD_BYTES, readLimitedForm } from "~/lib/upload-limits.server";
import { MAX_IMPORT_BYTES, MAX_SAVE_FORM_BYTES, previewImport, saveImport, targetVillage, type ImportMode } from "~/plots/plots.server";
import plotsCss from "~/plots/plots.css";
import leafletCss from "leaflet/dist/leaflet.css";
import { MapSlot } from "~/plots/map-slot";
import { mapSettings } from "~/plots/plots.server";
import { importPreviewMap } from "~/plots/preview-map";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: leafletCss },
  { rel: "stylesheet", href: plotsCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  const { villages, village } = await targetVillage(user, optionalId(new URL(request.url).searchParams.get("village")));
  return { villages, villageId: village?.id ?? null, settings: mapSettings() };
}

type Problem = { key: string; params?: Record<string, string | number> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "write:plot");
  // A preview posts the file (multipart), a save the previewed plots (URL-encoded): each is read
  // within its limit while it arrives, never buffered whole.
  const multipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/");
  const limits = multipart ? { maxBodyBytes: MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES, maxFileBytes: MAX_IMPORT_BYTES } : { maxBodyBytes: MAX_SAVE_FORM_BYTES, maxFileBytes: 0 };
  const read = await readLimitedForm(request, limits);
  if (!read.ok) {
    const error: Problem = read.reason === "tooLarge" ? { key: "plots.import.bodyTooLarge", params: { max: Math.round(limits.maxBodyBytes / 1048576) } } : { key: "plots.import.uploadFailed" };
    return data({ kind: "error" as const, error }, { status: read.reason === "tooLarge" ? 413 : 400 });
  }
  const form = read.form;
  // Access before anything else: a village outside the user's is 404.
  const { village } = await targetVillage(user, optionalId(form.get("villageId")));
  if (!village) return data({ kind: "error" as const, error: { key: "plots.form.chooseVillage" } as Problem }, { status: 400 });
  if (form.get("intent") === "save") {
    const mode: ImportMode = form.get("mode") === "all" ? "all" : "valid";
    let features: unknown = null;
    try {
      features = JSON.parse(String(form.get("features") ?? ""));
    } catch {
      features = null;
    }
    const saved = await saveImport(user, village.id, features, mode, String(form.get("fileName") ?? "").slice(0, 200));
    if (!saved.ok) return data({ kind: "error" as const, error: saved.error as Problem }, { status: 400 });
    throw await redirectWithMessage(`/plots/village/${village.id}`, "plots.import.saved", { saved: saved.saved, skipped: saved.skipped });
  }
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0 && file.name === "") {
    return data({ kind: "error" as const, error: { key: "plots.import.noFile" } as Problem }, { status: 400 });
  }
  const result = await previewImport(user, village.id, file.name, new Uint8Array(await file.arrayBuffer()));
  if (!result.ok) return data({ kind: "error" as const, error: result.error as Problem }, { status: 400 });
  return { kind: "preview" as const, villageId: village.id, preview: result.preview };
}

export default function ImportPlots() {
  const t = useT();
  const { villages, villageId, settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const preview = result?.kind === "preview" ? result.preview : null;
  const invalid = preview ? preview.features.filter((f) => f.errors.length).length : 0;
  const valid = preview ? preview.features.length - invalid : 0;
  const warned = preview ? preview.features.filter((f) => !f.errors.length && f.warnings.length).length : 0;
  // Once per answer: a new array on every render would redraw the preview layer each time.
  const previewMap = useMemo(() => (preview ? importPreviewMap(preview.features, preview.villageExtent) : null), [preview]);
  return (
    <>
      <h1>{t("plots.import.title")}</h1>
      <p className="muted">{t("plots.import.help")}</p>
      <Form method="post" encType="multipart/form-data" className="form filters" key={preview ? "again" : "first"}>
        <input type="hidden" name="intent" value="preview" />
        {villages.length > 1 ? (
          <label className="inline-field">
            {t("plots.import.village")}{" "}
            <select name="villageId" defaultValue={villageId ?? ""} required>
              <option value="">{t("plots.form.choose")}</option>
              {villages.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.township.name} {v.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <input type="hidden" name="villageId" value={villages[0]?.id ?? ""} />
        )}
        <label className="inline-field">
          {t("plots.import.file")}{" "}
          <input type="file" name="file" accept=".geojson,.json,.kml,.kmz,.zip" required />
        </label>
        <button type="submit" disabled={busy}>
          {t("plots.import.preview")}
        </button>
      </Form>
      {result?.kind === "error" ? (
        <p className="form-error" role="alert" data-testid="import-error">
          {t(result.error.key, result.error.params)}
        </p>
      ) : null}
      {preview ? (
        <section aria-labelledby="preview-title" className="import-preview">
          <h2 id="preview-title">{t("plots.import.previewTitle", { file: preview.fileName })}</h2>
          <p>
            {t("plots.import.format", { format: preview.format, crs: t(preview.crs.key, preview.crs.params) })}
            <br />
            <strong data-testid="import-summary">{t("plots.import.summary", { total: preview.features.length, valid, invalid, warned })}</strong>
          </p>
          {previewMap && result?.kind === "preview" ? (
            <section aria-labelledby="preview-map-title" data-testid="import-preview-map">
              <h3 id="preview-map-title">{t("plots.import.mapTitle")}</h3>
              <p className="muted">{t("plots.import.mapHelp")}</p>
              <MapSlot
                key={`preview:${preview.fileName}:${preview.features.length}`}
                settings={settings}
                filter={{ villageId: result.villageId }}
                extent={previewMap.extent}
                preview={previewMap.plots}
                height="55vh"
                legendOpen={false}
              />
            </section>
          ) : null}
          <div className="table-wrap">
            <table className="data" data-testid="import-preview">
              <thead>
                <tr>
                  <th className="num">{t("plots.import.col.index")}</th>
                  <th>{t("plots.col.code")}</th>
                  <th>{t("plots.col.name")}</th>
                  <th>{t("plots.col.crop")}</th>
                  <th className="num">{t("plots.col.area")}</th>
                  <th className="num">{t("plots.col.declared")}</th>
                  <th>{t("plots.import.col.problems")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.features.map((f) => (
                  <tr key={f.index} className={f.errors.length ? "invalid" : f.warnings.length ? "warned" : undefined}>
                    <td className="num">{f.index}</td>
                    <td>{f.fields.code}</td>
                    <td>{f.fields.name}</td>
                    <td>
                      {t(`plots.crop.${f.fields.crop}`)}
                      {f.fields.variety ? ` · ${f.fields.variety}` : ""}
                    </td>
                    <td className="num">{f.areaMu ?? ""}</td>
                    <td className="num">{f.fields.declaredMu ?? ""}</td>
                    <td className="problems">
                      {f.errors.map((e, i) => (
                        <div key={`e${i}`} className="error">
                          {t(e.key, e.params)}
                        </div>
                      ))}
                      {f.warnings.map((w, i) => (
                        <div key={`w${i}`} className="warn">
                          {t(w.key, w.params)}
                        </div>
                      ))}
                      {!f.errors.length && !f.warnings.length ? t("plots.import.ok") : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="save" />
            <input type="hidden" name="villageId" value={result?.kind === "preview" ? result.villageId : ""} />
            <input type="hidden" name="fileName" value={preview.fileName} />
            <input type="hidden" name="features" value={JSON.stringify(preview.features.map((f) => ({ fields: f.fields, parcelCodes: f.parcelCodes, geometry: f.geometry, errors: f.errors })))} />
            {invalid === 0 ? (
              <button type="submit" name="mode" value="all" disabled={busy}>
                {t("plots.import.saveAll", { count: valid })}
              </button>
            ) : valid > 0 ? (
              <button type="submit" name="mode" value="valid" disabled={busy}>
                {t("plots.import.saveValid", { count: valid })}
              </button>
            ) : null}
            <Link to={villageId ? `/plots/village/${villageId}` : "/plots"}>{t("plots.import.cancel")}</Link>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
