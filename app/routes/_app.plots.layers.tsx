import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth/permissions.server";
import { ConfirmStep } from "~/components/confirm-step";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";
import { formatInstant } from "~/lib/dates";
import { redirectWithMessage } from "~/lib/flash.server";
import { requiredReason } from "~/lib/forms";
import { idParam } from "~/lib/http";
import { FORM_OVERHEAD_BYTES, readLimitedForm } from "~/lib/upload-limits.server";
import { MAX_IMPORT_BYTES } from "~/plots/import";
import { optionalId } from "~/plots/params";
import { LAYER_KINDS } from "~/plots/reference-layers";
import { createLayer, deleteLayer, layerTownships, listLayers, type LayerFieldErrors } from "~/plots/reference-layers.server";
import plotsCss from "~/plots/plots.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plotsCss }];

const HERE = "/plots/layers";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "manage:reference-layer");
  const [layers, townships] = await Promise.all([listLayers(user.scope), layerTownships(user.scope)]);
  return { layers, townships, district: user.scope.kind === "all" };
}

type Errors = LayerFieldErrors & { reason?: { key: string } };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manage:reference-layer");
  // An upload is read within the plot import's limits while it arrives, never buffered whole.
  const multipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/");
  const limits = multipart ? { maxBodyBytes: MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES, maxFileBytes: MAX_IMPORT_BYTES } : { maxBodyBytes: FORM_OVERHEAD_BYTES, maxFileBytes: 0 };
  const read = await readLimitedForm(request, limits);
  if (!read.ok) {
    const file = read.reason === "tooLarge" ? { key: "plots.import.bodyTooLarge", params: { max: Math.round(limits.maxBodyBytes / 1048576) } } : { key: "plots.import.uploadFailed" };
    return data({ errors: { file } as Errors, deleting: null }, { status: read.reason === "tooLarge" ? 413 : 400 });
  }
  const form = read.form;
  if (form.get("intent") === "delete") {
    const id = idParam(String(form.get("id") ?? ""));
    const reason = requiredReason(form);
    if (!reason.ok) return data({ errors: reason.errors as Errors, deleting: id }, { status: 400 });
    const deleted = await deleteLayer(user, id, reason.reason);
    return redirectWithMessage(HERE, "plots.layers.deleted", { name: deleted.name });
  }
  const file = form.get("file");
  const township = String(form.get("townshipId") ?? "");
  const saved = await createLayer(user, {
    name: String(form.get("name") ?? ""),
    kind: String(form.get("kind") ?? ""),
    townshipId: township === "" ? null : (optionalId(township) ?? -1),
    fileName: file && typeof file !== "string" ? file.name : "",
    bytes: file && typeof file !== "string" ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array(),
  });
  if (!saved.ok) return data({ errors: saved.errors as Errors, deleting: null }, { status: 400 });
  return redirectWithMessage(HERE, "plots.layers.saved", { name: saved.name, count: saved.featureCount });
}

export default function ReferenceLayers() {
  const t = useT();
  const { layers, townships, district } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Errors = result?.deleting == null ? (result?.errors ?? {}) : {};
  return (
    <>
      <h1>{t("plots.layers.title")}</h1>
      <p className="muted">{t("plots.layers.help")}</p>
      {layers.length === 0 ? (
        <p className="empty">{t("plots.layers.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="reference-layers">
            <thead>
              <tr>
                <th>{t("plots.layers.col.name")}</th>
                <th>{t("plots.layers.col.kind")}</th>
                <th>{t("plots.layers.col.township")}</th>
                <th className="num">{t("plots.layers.col.features")}</th>
                <th>{t("plots.layers.col.createdAt")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {layers.map((l) => (
                <tr key={l.id}>
                  <td>{l.name}</td>
                  <td>{t(`plots.layers.kind.${l.kind}`)}</td>
                  <td>{l.townshipName ?? t("plots.layers.district")}</td>
                  <td className="num">{l.featureCount}</td>
                  <td>{formatInstant(l.createdAt)}</td>
                  <td>
                    <ConfirmStep
                      id={`delete-${l.id}`}
                      intent="delete"
                      label={t("plots.layers.delete")}
                      warning={t("plots.layers.deleteWarning")}
                      reasonLabel={t("plots.layers.deleteReason")}
                      confirmLabel={t("plots.layers.deleteConfirm")}
                      error={result?.deleting === l.id ? result.errors.reason : undefined}
                    >
                      <input type="hidden" name="id" value={l.id} />
                    </ConfirmStep>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("plots.layers.upload")}</h2>
      <Form method="post" encType="multipart/form-data" className="form" data-testid="layer-upload">
        <input type="hidden" name="intent" value="upload" />
        <Field label={t("plots.layers.field.name")} name="name" error={errors.name}>
          {(p) => <input {...p} maxLength={40} required />}
        </Field>
        <Field label={t("plots.layers.field.kind")} name="kind" error={errors.kind}>
          {(p) => (
            <select {...p} defaultValue="BOUNDARY">
              {LAYER_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`plots.layers.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("plots.layers.field.township")} name="townshipId" error={errors.townshipId}>
          {(p) => (
            <select {...p} defaultValue={district ? "" : String(townships[0]?.id ?? "")}>
              {district ? <option value="">{t("plots.layers.district")}</option> : null}
              {townships.map((tw) => (
                <option key={tw.id} value={tw.id}>
                  {tw.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("plots.layers.field.file")} name="file" error={errors.file}>
          {(p) => <input {...p} type="file" accept=".geojson,.json,.zip" required />}
        </Field>
        <button type="submit" disabled={busy}>
          {t("plots.layers.upload")}
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
