import { Form, useNavigate, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { Field } from "~/components/field";
import { useT } from "~/i18n/use-t";

type Errors = Record<string, { key: string; params?: Record<string, string | number> }>;

/**
 * The upload form. With JavaScript the file goes up by XMLHttpRequest so a
 * slow connection shows how much has been sent; without it the form posts as
 * usual and the browser shows its own progress.
 */
export function UploadForm({ villages, errors, kinds }: { villages: { id: number; name: string; township: string }[]; errors: Errors; kinds: readonly string[] }) {
  const t = useT();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [sent, setSent] = useState<number | null>(null);
  const [clientErrors, setClientErrors] = useState<Errors | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const e = clientErrors ?? errors;
  const busy = sent !== null || navigation.state !== "idle";
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="form"
      ref={formRef}
      data-testid="upload-form"
      onSubmit={(ev) => {
        if (typeof XMLHttpRequest === "undefined") return;
        ev.preventDefault();
        const xhr = new XMLHttpRequest();
        xhr.open("POST", "/resources/imports/upload");
        xhr.responseType = "json";
        xhr.upload.onprogress = (p) => p.lengthComputable && setSent(Math.round((p.loaded / p.total) * 100));
        xhr.onload = () => {
          setSent(null);
          const body = xhr.response as { id?: number; errors?: Errors } | null;
          if (xhr.status === 200 && body?.id) navigate(`/imports/${body.id}`);
          else setClientErrors(body?.errors ?? { file: { key: "importPage.uploadFailed" } });
        };
        xhr.onerror = () => {
          setSent(null);
          setClientErrors({ file: { key: "importPage.uploadFailed" } });
        };
        setSent(0);
        xhr.send(new FormData(ev.currentTarget));
      }}
    >
      <Field label={t("importPage.kind")} name="kind" error={e.kind}>
        {(p) => (
          <select {...p} defaultValue="HOUSEHOLDS">
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`importPage.kind.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("importPage.village")} name="villageId" error={e.villageId}>
        {(p) => (
          <select {...p} defaultValue={villages.length === 1 ? String(villages[0]!.id) : ""}>
            {villages.length > 1 ? <option value="">{t("incomeAccount.choose")}</option> : null}
            {villages.map((v) => (
              <option key={v.id} value={v.id}>
                {v.township} {v.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("importPage.file")} name="file" error={e.file}>
        {(p) => <input {...p} type="file" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv" required />}
      </Field>
      <div className="field check">
        <label>
          <input type="checkbox" name="updateExisting" value="on" /> {t("importPage.updateExisting")}
        </label>
        <p className="muted small">{t("importPage.updateExistingHelp")}</p>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? t("importPage.uploading") : t("importPage.check")}
      </button>
      {sent !== null ? (
        <div className="meter" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={sent} data-testid="upload-progress">
          <span style={{ width: `${sent}%` }} />
          <small>{t("importPage.sent", { percent: sent })}</small>
        </div>
      ) : null}
    </Form>
  );
}
