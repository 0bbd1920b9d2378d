/**
 * Charts of the income audit as plain inline SVG, rendered on the server
 * (no chart library, no script needed). Built for a 360 px phone upwards:
 * each SVG has a narrow viewBox and scales to its container's width.
 * Every bar carries its figure as text, categories are told apart by
 * hatching as well as colour so a black-and-white print stays readable,
 * and each chart has a <title> and a <desc> listing its figures for screen
 * readers.
 *
 * Labels come from the message catalog: pages get the translator of the
 * user's locale through useT(); tests and documents may pass `t` instead.
 */
import { useId, type ReactNode } from "react";
import type { Translate } from "~/lib/i18n";
import { useT } from "~/i18n/use-t";
import { formatYuan } from "~/lib/money";
import { sharePercent, trendPerCapita, type TrendPoint } from "./audit";
import { CATEGORIES, type Bucket, type Category } from "./rules";

/**
 * The catalog translator. A chart either always or never receives `t` (it is
 * a prop of the call site, not state), so calling the hook only when it is
 * absent keeps the hook order stable across renders.
 */
function useTranslate(t: Translate | undefined): Translate {
  return t ?? useT();
}

/** Fill and hatching per category: distinct in colour and in grey. */
const STYLE: Record<Category, { bg: string; ink: string; hatch: "diag" | "dots" | "cross" | "vert" }> = {
  WAGE: { bg: "#c6dbef", ink: "#08519c", hatch: "diag" },
  OPERATING: { bg: "#c7e9c0", ink: "#006d2c", hatch: "dots" },
  PROPERTY: { bg: "#fdd0a2", ink: "#a63603", hatch: "cross" },
  TRANSFER: { bg: "#dadaeb", ink: "#54278f", hatch: "vert" },
};

const FONT = "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
const TEXT = "#1f2328";
const MUTED = "#59636e";

function svgStyle(maxWidth: number) {
  return { width: "100%", maxWidth, height: "auto", display: "block", fontFamily: FONT } as const;
}

/** useId gives ":r1:"; colons are legal in ids but awkward inside url(#…). */
function useSafeId(): string {
  return `ic${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
}

/** Rough text width in viewBox units: CJK one em, Latin and digits about 0.56 em. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(ch) ? 1 : 0.56;
  return w * size;
}

function Hatch({ id, c }: { id: string; c: Category }) {
  const s = STYLE[c];
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width={6} height={6}>
      <rect width={6} height={6} fill={s.bg} />
      {s.hatch === "diag" ? <path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke={s.ink} strokeWidth={1} /> : null}
      {s.hatch === "dots" ? <circle cx={3} cy={3} r={1.1} fill={s.ink} /> : null}
      {s.hatch === "cross" ? <path d="M0,3 h6 M3,0 v6" stroke={s.ink} strokeWidth={0.8} /> : null}
      {s.hatch === "vert" ? <path d="M1.5,0 v6 M4.5,0 v6" stroke={s.ink} strokeWidth={0.8} /> : null}
    </pattern>
  );
}

function Defs({ id }: { id: string }) {
  return (
    <defs>
      {CATEGORIES.map((c) => (
        <Hatch key={c} id={`${id}-${c}`} c={c} />
      ))}
      <pattern id={`${id}-below`} patternUnits="userSpaceOnUse" width={5} height={5}>
        <rect width={5} height={5} fill="#f4b6b6" />
        <path d="M-1,1 l2,-2 M0,5 l5,-5 M4,6 l2,-2" stroke="#8c1c13" strokeWidth={1.1} />
      </pattern>
      <pattern id={`${id}-near`} patternUnits="userSpaceOnUse" width={5} height={5}>
        <rect width={5} height={5} fill="#fde4a6" />
        <circle cx={2.5} cy={2.5} r={1} fill="#8a5a00" />
      </pattern>
      <pattern id={`${id}-above`} patternUnits="userSpaceOnUse" width={5} height={5}>
        <rect width={5} height={5} fill="#d5e8d4" />
      </pattern>
    </defs>
  );
}

function Frame({ id, title, desc, width, height, maxWidth, children }: { id: string; title: string; desc: string; width: number; height: number; maxWidth: number; children: ReactNode }) {
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      style={svgStyle(maxWidth)}
      xmlns="http://www.w3.org/2000/svg"
      className="income-chart"
    >
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <Defs id={id} />
      {children}
    </svg>
  );
}

// ─── Composition ───────────────────────────────────────────────────────────

export interface CompositionChartProps {
  /** fen per category; `total` is derived when absent */
  totals: Record<Category, bigint> & { total?: bigint };
  t?: Translate;
}

/**
 * Income by category: one labelled bar per category with its amount and its
 * share of the total. A negative net operating income (a loss) is drawn as
 * an outlined bar and its share printed with its sign.
 */
export function CompositionChart({ totals, t: tProp }: CompositionChartProps) {
  const t = useTranslate(tProp);
  const id = useSafeId();
  const total = totals.total ?? CATEGORIES.reduce((s, c) => s + totals[c], 0n);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const max = CATEGORIES.reduce((m, c) => (abs(totals[c]) > m ? abs(totals[c]) : m), 0n);
  const W = 400;
  const rowH = 40;
  const top = 4;
  const H = top + CATEGORIES.length * rowH + 26;
  const lines = CATEGORIES.map((c) => {
    const share = sharePercent(totals[c], total);
    return { c, label: t(`income.category.${c}`), amount: formatYuan(totals[c]), share };
  });
  const desc = [
    ...lines.map((l) => t("income.chart.compositionItem", { category: l.label, amount: l.amount, share: l.share ?? "—" })),
    t("income.chart.totalItem", { amount: formatYuan(total) }),
  ].join("；");
  return (
    <Frame id={id} title={t("income.chart.compositionTitle")} desc={desc} width={W} height={H} maxWidth={560}>
      {lines.map((l, i) => {
        const y = top + i * rowH;
        const v = totals[l.c];
        // Number() only for the drawing: the printed figures stay exact
        const w = max > 0n ? Math.max(v === 0n ? 0 : 1.5, (Number(abs(v)) / Number(max)) * W) : 0;
        const figure = `${l.amount} ${t("income.chart.yuan")}${l.share !== null ? ` · ${l.share}%` : ""}`;
        return (
          <g key={l.c} data-category={l.c}>
            <text x={0} y={y + 13} fontSize={13} fill={TEXT}>
              {l.label}
            </text>
            <text x={W} y={y + 13} fontSize={13} fill={TEXT} textAnchor="end" style={{ fontVariantNumeric: "tabular-nums" }}>
              {figure}
            </text>
            <rect x={0} y={y + 19} width={W} height={14} fill="#f3f4f6" />
            {w > 0 ? (
              <rect
                x={0}
                y={y + 19}
                width={w}
                height={14}
                fill={v < 0n ? "#ffffff" : `url(#${id}-${l.c})`}
                stroke={STYLE[l.c].ink}
                strokeWidth={v < 0n ? 1.2 : 0.6}
                strokeDasharray={v < 0n ? "3 2" : undefined}
              >
                <title>{`${l.label}: ${figure}`}</title>
              </rect>
            ) : null}
          </g>
        );
      })}
      <text x={W} y={H - 8} fontSize={13} fontWeight={700} fill={TEXT} textAnchor="end">
        {t("income.chart.totalItem", { amount: formatYuan(total) })}
      </text>
      {CATEGORIES.some((c) => totals[c] < 0n) ? (
        <text x={0} y={H - 8} fontSize={11} fill={MUTED}>
          {t("income.chart.negativeNote")}
        </text>
      ) : null}
    </Frame>
  );
}

// ─── Distribution ──────────────────────────────────────────────────────────

export interface DistributionChartProps {
  buckets: readonly Bucket[];
  lineFen: bigint | null;
  t?: Translate;
}

function yuanShort(fen: bigint): string {
  // whole yuan on the axis: the edges are multiples of the line, the exact fen sits in the tables
  return formatYuan(fen).replace(/\.00$/, "");
}

/** The yuan range of a bucket for its second label line ("3,000–6,000", "< 3,000", "≥ 12,000"). */
export function bucketRange(b: Pick<Bucket, "fromFen" | "toFen">): string {
  if (b.fromFen === null && b.toFen !== null) return `< ${yuanShort(b.toFen)}`;
  if (b.toFen === null && b.fromFen !== null) return `≥ ${yuanShort(b.fromFen)}`;
  if (b.fromFen !== null && b.toFen !== null) return `${yuanShort(b.fromFen)}–${yuanShort(b.toFen)}`;
  return "";
}

/**
 * Households per per-capita bucket. With a line the buckets are relative
 * to it: the line is drawn between "50–100 %" and "100–110 %", the buckets
 * below it hatched densely and the NEAR bucket dotted; without a line the
 * fixed yuan bands are drawn plain and a note says no line is set.
 */
export function DistributionChart({ buckets, lineFen, t: tProp }: DistributionChartProps) {
  const t = useTranslate(tProp);
  const id = useSafeId();
  const withLine = lineFen !== null && buckets.length > 0 && buckets[0]!.key.startsWith("income.dist.line.");
  const W = 400;
  const H = 250;
  const left = 4;
  const right = 4;
  const top = 34;
  const bottom = 44;
  const plotH = H - top - bottom;
  const n = Math.max(buckets.length, 1);
  const slot = (W - left - right) / n;
  const max = buckets.reduce((m, b) => Math.max(m, b.count), 0);
  const households = buckets.reduce((s, b) => s + b.count, 0);
  const base = top + plotH;
  const fillOf = (i: number) => (!withLine ? `url(#${id}-WAGE)` : i <= 1 ? `url(#${id}-below)` : i === 2 ? `url(#${id}-near)` : `url(#${id}-above)`);
  const desc = [
    withLine ? t("income.chart.lineItem", { amount: formatYuan(lineFen!) }) : t("income.chart.noLine"),
    ...buckets.map((b) => t("income.chart.bucketItem", { bucket: `${t(b.key)}${withLine ? ` (${bucketRange(b)})` : ""}`, count: b.count })),
  ].join("；");
  const lineX = left + 2 * slot;
  const lineLabel = withLine ? t("income.chart.lineLabel", { amount: yuanShort(lineFen!) }) : t("income.chart.noLine");
  const labelW = textWidth(lineLabel, 11);
  const labelX = withLine ? Math.min(Math.max(lineX, labelW / 2 + 2), W - labelW / 2 - 2) : W / 2;
  return (
    <Frame id={id} title={t("income.chart.distributionTitle")} desc={desc} width={W} height={H} maxWidth={560}>
      <text x={labelX} y={14} fontSize={11} fill={withLine ? TEXT : MUTED} textAnchor="middle" fontWeight={withLine ? 700 : 400}>
        {lineLabel}
      </text>
      <text x={W - right} y={28} fontSize={10} fill={MUTED} textAnchor="end">
        {t("income.chart.householdsTotal", { count: households })}
      </text>
      <line x1={left} x2={W - right} y1={base} y2={base} stroke={TEXT} strokeWidth={1} />
      {buckets.map((b, i) => {
        const h = max > 0 ? (b.count / max) * (plotH - 16) : 0;
        const x = left + i * slot;
        const barW = slot * 0.72;
        const bx = x + (slot - barW) / 2;
        const label = t(b.key);
        const range = withLine ? bucketRange(b) : "";
        const size = Math.min(10, (slot - 2) / Math.max(textWidth(label, 1), textWidth(range, 1), 1));
        return (
          <g key={b.key} data-bucket={b.key}>
            {h > 0 ? (
              <rect x={bx} y={base - h} width={barW} height={h} fill={fillOf(i)} stroke={TEXT} strokeWidth={0.6}>
                <title>{`${label}${range ? ` (${range})` : ""}: ${t("income.chart.households", { count: b.count })}`}</title>
              </rect>
            ) : null}
            <text x={x + slot / 2} y={base - h - 4} fontSize={11} fill={TEXT} textAnchor="middle" fontWeight={700}>
              {t("income.chart.households", { count: b.count })}
            </text>
            <text x={x + slot / 2} y={base + 14} fontSize={size} fill={TEXT} textAnchor="middle">
              {label}
            </text>
            {range ? (
              <text x={x + slot / 2} y={base + 28} fontSize={size} fill={MUTED} textAnchor="middle">
                {range}
              </text>
            ) : null}
          </g>
        );
      })}
      {withLine ? (
        <line x1={lineX} x2={lineX} y1={18} y2={base + 4} stroke="#b42318" strokeWidth={1.5} strokeDasharray="5 3">
          <title>{lineLabel}</title>
        </line>
      ) : null}
      <text x={W / 2} y={H - 2} fontSize={10} fill={MUTED} textAnchor="middle">
        {withLine ? t("income.chart.axisOfLine") : t("income.chart.axisYuan")}
      </text>
    </Frame>
  );
}

// ─── Trend ─────────────────────────────────────────────────────────────────

export interface TrendChartProps {
  points: readonly TrendPoint[];
  t?: Translate;
}

/**
 * Per-capita income by year, stacked by category (a loss-making category
 * stacks below the axis), the total printed above each bar, the year's
 * monitoring line as a dashed mark when known.
 */
export function TrendChart({ points, t: tProp }: TrendChartProps) {
  const t = useTranslate(tProp);
  const id = useSafeId();
  const rows = trendPerCapita(points);
  const W = 400;
  const anyLine = rows.some((r) => r.lineFen);
  const legend = [...CATEGORIES.map((c) => ({ key: c as string, label: t(`income.category.${c}`) })), ...(anyLine ? [{ key: "line", label: t("income.chart.lineLegend") }] : [])];
  // legend items flow left to right and wrap, so long (English) labels never overlap
  const placed: { key: string; label: string; x: number; y: number }[] = [];
  let lx = 0;
  let ly = 2;
  for (const l of legend) {
    const w = 18 + textWidth(l.label, 11) + 14;
    if (lx > 0 && lx + w > W) {
      lx = 0;
      ly += 18;
    }
    placed.push({ ...l, x: lx, y: ly });
    lx += w;
  }
  const legendH = ly + 20;
  const top = legendH + 22;
  const bottom = 22;
  const plotH = 190;
  const H = top + plotH + bottom;
  const left = 4;
  const right = 4;
  const n = Math.max(rows.length, 1);
  const slot = (W - left - right) / n;
  const num = (v: bigint | null | undefined) => (v ? Number(v) : 0);
  let hi = 0;
  let lo = 0;
  for (const r of rows) {
    let pos = 0;
    let neg = 0;
    for (const c of CATEGORIES) {
      const v = num(r.byCategoryFen[c]);
      if (v > 0) pos += v;
      else neg += v;
    }
    hi = Math.max(hi, pos, num(r.lineFen));
    lo = Math.min(lo, neg);
  }
  const span = hi - lo || 1;
  const scale = plotH / span;
  const zeroY = top + hi * scale;
  const desc = rows.length
    ? rows
        .map((r) =>
          t("income.chart.trendItem", {
            year: r.year,
            amount: r.perCapitaFen === null ? "—" : formatYuan(r.perCapitaFen),
            parts: CATEGORIES.map((c) => `${t(`income.category.${c}`)} ${r.byCategoryFen[c] === null ? "—" : formatYuan(r.byCategoryFen[c]!)}`).join("，"),
          }) + (r.lineFen ? `，${t("income.chart.lineItem", { amount: formatYuan(r.lineFen) })}` : ""),
        )
        .join("；")
    : t("income.chart.noData");
  return (
    <Frame id={id} title={t("income.chart.trendTitle")} desc={desc} width={W} height={H} maxWidth={640}>
      {placed.map(({ key, label, x, y }) => (
        <g key={key}>
          {key === "line" ? (
            <line x1={x} x2={x + 14} y1={y + 7} y2={y + 7} stroke="#b42318" strokeWidth={1.5} strokeDasharray="4 2" />
          ) : (
            <rect x={x} y={y + 1} width={14} height={12} fill={`url(#${id}-${key})`} stroke={TEXT} strokeWidth={0.5} />
          )}
          <text x={x + 18} y={y + 11} fontSize={11} fill={TEXT}>
            {label}
          </text>
        </g>
      ))}
      <text x={W - right} y={legendH + 8} fontSize={10} fill={MUTED} textAnchor="end">
        {t("income.chart.perCapitaUnit")}
      </text>
      {rows.length === 0 ? (
        <text x={W / 2} y={top + plotH / 2} fontSize={12} fill={MUTED} textAnchor="middle">
          {t("income.chart.noData")}
        </text>
      ) : null}
      <line x1={left} x2={W - right} y1={zeroY} y2={zeroY} stroke={TEXT} strokeWidth={1} />
      {rows.map((r, i) => {
        const x = left + i * slot;
        const barW = Math.min(slot * 0.7, 56);
        const bx = x + (slot - barW) / 2;
        let up = zeroY;
        let down = zeroY;
        const segs = CATEGORIES.map((c) => {
          const fen = r.byCategoryFen[c];
          const v = num(fen);
          const h = Math.abs(v) * scale;
          const y = v >= 0 ? (up -= h) : down;
          if (v < 0) down += h;
          return { c, fen, h, y };
        });
        const total = r.perCapitaFen === null ? "—" : formatYuan(r.perCapitaFen);
        const size = Math.min(10, (slot - 2) / Math.max(textWidth(total, 1), 1));
        return (
          <g key={r.year} data-year={r.year}>
            {segs.map((s) => {
              if (s.h <= 0) return null;
              const label = s.fen === null ? "" : formatYuan(s.fen);
              const segSize = Math.min(9, (barW - 2) / Math.max(textWidth(label, 1), 1));
              return (
                <g key={s.c}>
                  <rect x={bx} y={s.y} width={barW} height={s.h} fill={`url(#${id}-${s.c})`} stroke={TEXT} strokeWidth={0.4}>
                    <title>{`${r.year} ${t(`income.category.${s.c}`)}: ${label}`}</title>
                  </rect>
                  {s.h >= 12 && segSize >= 6 ? (
                    <text x={bx + barW / 2} y={s.y + s.h / 2 + segSize * 0.36} fontSize={segSize} fill={TEXT} textAnchor="middle" stroke="#ffffff" strokeWidth={2.2} paintOrder="stroke">
                      {label}
                    </text>
                  ) : null}
                </g>
              );
            })}
            {r.lineFen ? (
              <line x1={x + 2} x2={x + slot - 2} y1={zeroY - num(r.lineFen) * scale} y2={zeroY - num(r.lineFen) * scale} stroke="#b42318" strokeWidth={1.5} strokeDasharray="4 2">
                <title>{t("income.chart.lineItem", { amount: formatYuan(r.lineFen) })}</title>
              </line>
            ) : null}
            {/* after the line mark, with a white halo, so a line close to the total never hides it */}
            <text x={x + slot / 2} y={up - 4} fontSize={size} fill={TEXT} textAnchor="middle" fontWeight={700} stroke="#ffffff" strokeWidth={3} paintOrder="stroke">
              {total}
            </text>
            <text x={x + slot / 2} y={H - 6} fontSize={11} fill={TEXT} textAnchor="middle">
              {r.year}
            </text>
          </g>
        );
      })}
    </Frame>
  );
}
