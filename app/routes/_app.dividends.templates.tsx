import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { redirectWithMessage } from "~/lib/flash.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireIntent, requirePermission } from "~/auth/permissions.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field } from "~/components/field";
import { adoptExample, chooseTemplate, saveTemplate, templatesOf } from "~/dividends/bank.server";
import { EXAMPLE_TEMPLATES, EXTRA_COLUMN_ROWS, TEMPLATE_FIELDS, type BankTemplateSpec } from "~/dividends/bank-template";
import type { FieldErrors } from "~/lib/forms";
import { idParam } from "~/lib/http";
import { useT } from "~/i18n/use-t";

/** The cooperative's bank payment file templates (ADR 020): copy an example, choose one, edit it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "write:dividend");
  const { chosenId, templates } = await templatesOf(user);
  const edit = Number(new URL(request.url).searchParams.get("edit") ?? chosenId ?? 0);
  return { chosenId, templates, editId: templates.some((t) => t.id === edit) ? edit : null, examples: EXAMPLE_TEMPLATES };
}

const INTENTS = { adopt: "write:dividend", choose: "write:dividend", save: "write:dividend" } as const;

type Result = { ok: boolean; intent: string; errors: FieldErrors | null };

export async function action({ request }: ActionFunctionArgs) {
  const { user, intent, form } = await requireIntent(request, INTENTS);
  const get = (k: string) => String(form.get(k) ?? "").trim();
  // every save goes back to the list with a message naming the template
  switch (intent) {
    case "adopt": {
      const index = Number(get("example"));
      if (!Number.isInteger(index)) throw new Response("Bad Request", { status: 400 });
      const id = await adoptExample(user, index);
      return redirectWithMessage(`/dividends/templates?edit=${id}`, "bank.saved.adopted", { name: EXAMPLE_TEMPLATES[index]?.name ?? "" });
    }
    case "choose": {
      const id = idParam(get("id"));
      await chooseTemplate(user, id);
      const { templates } = await templatesOf(user);
      return redirectWithMessage("/dividends/templates", "bank.saved.chosen", { name: templates.find((x) => x.id === id)?.name ?? "" });
    }
    case "save": {
      const id = idParam(get("id"));
      const errors = await saveTemplate(user, id, get);
      if (errors) return data<Result>({ ok: false, intent, errors }, { status: 400 });
      return redirectWithMessage(`/dividends/templates?edit=${id}`, "bank.saved.template", { name: get("name") });
    }
  }
}

function TemplateEditor({ id, spec, errors }: { id: number; spec: BankTemplateSpec | null; errors: FieldErrors | null }) {
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const s = spec ?? EXAMPLE_TEMPLATES[0]!;
  const rows = [...s.columns, ...Array.from({ length: EXTRA_COLUMN_ROWS }, () => ({ header: "", field: "" as const }))];
  const e = (k: string) => errors?.[k];
  return (
    <Form method="post" className="card" data-testid="template-editor">
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="id" value={id} />
      <Field label={t("bank.form.name")} name="name" error={e("name")}>
        {(p) => <input {...p} defaultValue={s.name} size={40} />}
      </Field>
      <div className="inline-form">
        <Field label={t("bank.form.format")} name="format" error={e("format")}>
          {(p) => (
            <select {...p} defaultValue={s.format}>
              <option value="csv">CSV</option>
              <option value="xlsx">Excel (.xlsx)</option>
            </select>
          )}
        </Field>
        <Field label={t("bank.form.encoding")} name="encoding" error={e("encoding")}>
          {(p) => (
            <select {...p} defaultValue={s.encoding}>
              <option value="GBK">GBK</option>
              <option value="UTF-8">UTF-8</option>
            </select>
          )}
        </Field>
        <Field label={t("bank.form.amountUnit")} name="amountUnit" error={e("amountUnit")}>
          {(p) => (
            <select {...p} defaultValue={s.amountUnit}>
              <option value="yuan">{t("bank.form.yuan")}</option>
              <option value="fen">{t("bank.form.fen")}</option>
            </select>
          )}
        </Field>
      </div>
      <Field label={t("bank.form.headerRows")} name="headerRows" error={e("headerRows") ?? Object.entries(errors ?? {}).find(([k]) => k.startsWith("headerRows."))?.[1]}>
        {(p) => <textarea {...p} rows={3} cols={60} defaultValue={s.headerRows.map((r) => r.join(" | ")).join("\n")} />}
      </Field>
      <fieldset>
        <legend>{t("bank.form.columns")}</legend>
        {e("columns") ? (
          <p className="field-error" role="alert">
            {t(e("columns")!.key, e("columns")!.params)}
          </p>
        ) : null}
        {rows.map((c, i) => (
          <div key={i} className="inline-form">
            <Field label={t("bank.form.order")} name={`columns.${i}.order`} error={undefined}>
              {(p) => <input {...p} defaultValue={c.header ? String(i + 1) : ""} size={3} inputMode="numeric" />}
            </Field>
            <Field label={t("bank.form.header")} name={`columns.${i}.header`} error={e(`columns.${i}.header`)}>
              {(p) => <input {...p} defaultValue={c.header} />}
            </Field>
            <Field label={t("bank.form.field")} name={`columns.${i}.field`} error={e(`columns.${i}.field`)}>
              {(p) => (
                <select {...p} defaultValue={c.field}>
                  <option value="">—</option>
                  {TEMPLATE_FIELDS.map((f) => (
                    <option key={f} value={f}>
                      {t(`bank.field.${f}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        ))}
      </fieldset>
      <Field label={t("bank.form.note")} name="note" error={e("note")}>
        {(p) => <input {...p} defaultValue={s.note} size={40} />}
      </Field>
      <fieldset>
        <legend>{t("bank.form.result")}</legend>
        <div className="inline-form">
          {(
            [
              ["statementNo", "bank.form.rStatementNo"],
              ["account", "bank.form.rAccount"],
              ["amount", "bank.form.rAmount"],
              ["status", "bank.form.rStatus"],
              ["reason", "bank.form.rReason"],
            ] as const
          ).map(([k, label]) => (
            <Field key={k} label={t(label)} name={`result.${k}`} error={e(`result.${k}`)}>
              {(p) => <input {...p} defaultValue={s.resultColumns[k]} />}
            </Field>
          ))}
        </div>
        <Field label={t("bank.form.success")} name="result.success" error={e("result.success")}>
          {(p) => <input {...p} defaultValue={s.resultColumns.success.join("，")} size={40} />}
        </Field>
        <Field label={t("bank.form.failure")} name="result.failure" error={e("result.failure")}>
          {(p) => <input {...p} defaultValue={s.resultColumns.failure.join("，")} size={40} />}
        </Field>
      </fieldset>
      <button type="submit" disabled={busy}>
        {t("bank.save")}
      </button>
    </Form>
  );
}

export default function PaymentTemplates() {
  const t = useT();
  const { chosenId, templates, editId, examples } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const editing = templates.find((x) => x.id === editId);
  return (
    <>
      <div className="page-head">
        <h1>{t("bank.templates")}</h1>
      </div>
      <p className="muted">{t("bank.templatesIntro")}</p>
      <h2>{t("bank.ownTemplates")}</h2>
      {templates.length === 0 ? <p className="muted">{t("bank.noOwnTemplates")}</p> : null}
      <ul>
        {templates.map((x) => (
          <li key={x.id} data-testid={`template-${x.id}`}>
            {x.name} {x.id === chosenId ? <strong>（{t("bank.chosen")}）</strong> : null}{" "}
            {x.id !== chosenId ? (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="choose" />
                <input type="hidden" name="id" value={x.id} />
                <button type="submit" className="secondary" disabled={busy}>
                  {t("bank.choose")}
                </button>
              </Form>
            ) : null}{" "}
            <Link to={`?edit=${x.id}`}>{t("bank.edit")}</Link>
          </li>
        ))}
      </ul>
      {editing ? <TemplateEditor key={editing.id} id={editing.id} spec={editing.spec} errors={result && !result.ok && result.intent === "save" ? result.errors : null} /> : null}
      <h2>{t("bank.examples")}</h2>
      <ul>
        {examples.map((x, i) => (
          <li key={x.name}>
            {x.name} · {x.format.toUpperCase()} · {x.encoding} · {x.amountUnit === "fen" ? t("bank.form.fen") : t("bank.form.yuan")}{" "}
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="adopt" />
              <input type="hidden" name="example" value={i} />
              <button type="submit" className="secondary" disabled={busy} data-testid={`adopt-${i}`}>
                {t("bank.adopt")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
