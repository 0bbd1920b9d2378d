/**
 * Charts of the income audit as plain inline SVG, rendered on the server
 * (no chart library, no script needed). Each SVG draws at its own pixel
 * size (viewBox = width × height, never scaled down), 340 px wide so that it
 * fits a 390 px phone, with text of 12–13 px on screen and in print; a wider
 * trend scrolls inside its own box on a narrow screen (issue 15).
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
import { fitText, layoutLabelRow, layoutLegend, MIN_FONT_PX, textWidth } from "./chart-layout";
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

/** Text sizes in CSS px: the SVGs draw at their own size (viewBox = width × height), so these are what a reader sees. */
const FS = 13;
const FS_SMALL = MIN_FONT_PX;

/** useId gives ":r1:"; colons are legal in ids but awkward inside url(#…). */
function useSafeId(): string {
  return `ic${useId().replace(/[^A-Za-z0-9_-]/g, "")}`;
}

export { textWidth };

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

/** On paper: black text, and a chart is never split across two pages. Scoped to the charts' class. */
const PRINT_STYLE = "@media print{.income-chart-box{overflow:visible!important;break-inside:avoid}.income-chart text{fill:#000}}";

/**
 * The SVG at its own pixel size (never scaled down, so no text ends up below
 * 12 px), in a box that scrolls sideways on a screen narrower than the chart.
 */
function Frame({ id, title, desc, width, height, children }: { id: string; title: string; desc: string; width: number; height: number; children: ReactNode }) {
  return (
    <div className="income-chart-box" style={{ overflowX: "auto", maxWidth: "100%" }}>
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        style={{ display: "block", maxWidth: "none", fontFamily: FONT }}
        xmlns="http://www.w3.org/2000/svg"
        className="income-chart"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <style>{PRINT_STYLE}</style>
        <Defs id={id} />
        {children}
      </svg>
    </div>
  );
}

function Legend({ id, items, y }: { id: string; items: ReturnType<typeof layoutLegend>["items"]; y: number }) {
  return (
    <g className="legend">
      {items.map(({ key, label, x, y: ly }) => (
        <g key={key} data-legend={key}>
          {key === "line" ? (
            <line x1={x} x2={x + 14} y1={y + ly + 8} y2={y + ly + 8} stroke="#b42318" strokeWidth={1.5} strokeDasharray="4 2" />
          ) : (
            <rect x={x} y={y + ly + 2} width={14} height={12} fill={`url(#${id}-${key})`} stroke={TEXT} strokeWidth={0.5} />
          )}
          <text x={x + 18} y={y + ly + 13} fontSize={FS_SMALL} fill={TEXT}>
            {label}
          </text>
        </g>
      ))}
    </g>
  );
}

/** Chart widths in CSS px: narrow enough for a 390 px phone, wide enough for every label at 12–13 px. */
export const CHART_WIDTH = 340;
export const TREND_MAX_WIDTH = 720;

// ─── Composition ───────────────────────────────────────────────────────────

export interface CompositionChartProps {
  /** fen per category; `total` is derived when absent */
  totals: Record<Category, bigint> & { total?: bigint };
  t?: Translate;
}

/**
 * Income by category: one labelled bar per category with its amount and its
 * share of the total. A negative net operating income (a loss) is drawn as
 * an outlined bar and its share printed with its sign. Each bar is named
 * beside it, which is its legend; a figure that does not fit beside the name
 * goes on a line of its own.
 */
export function CompositionChart({ totals, t: tProp }: CompositionChartProps) {
  const t = useTranslate(tProp);
  const id = useSafeId();
  const total = totals.total ?? CATEGORIES.reduce((s, c) => s + totals[c], 0n);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const max = CATEGORIES.reduce((m, c) => (abs(totals[c]) > m ? abs(totals[c]) : m), 0n);
  const W = CHART_WIDTH;
  const lineH = Math.ceil(FS * 1.4);
  const lines = CATEGORIES.map((c) => {
    const share = sharePercent(totals[c], total);
    const label = t(`income.category.${c}`);
    const amount = formatYuan(totals[c]);
    const figure = `${amount} ${t("income.chart.yuan")}${share !== null ? ` · ${share}%` : ""}`;
    const apart = textWidth(label, FS) + 8 + textWidth(figure, FS) > W;
    return { c, label, amount, share, figure, apart };
  });
  let y = 4;
  const rows = lines.map((l) => {
    const row = { ...l, y, barY: y + lineH + (l.apart ? lineH : 0) - 4 };
    y = row.barY + 14 + 10;
    return row;
  });
  const totalText = t("income.chart.totalItem", { amount: formatYuan(total) });
  const negative = CATEGORIES.some((c) => totals[c] < 0n);
  const totalY = y + FS;
  const H = totalY + (negative ? lineH : 0) + 6;
  const desc = [...lines.map((l) => t("income.chart.compositionItem", { category: l.label, amount: l.amount, share: l.share ?? "—" })), totalText].join("；");
  return (
    <Frame id={id} title={t("income.chart.compositionTitle")} desc={desc} width={W} height={H}>
      {rows.map((l) => {
        const v = totals[l.c];
        // Number() only for the drawing: the printed figures stay exact
        const w = max > 0n ? Math.max(v === 0n ? 0 : 1.5, (Number(abs(v)) / Number(max)) * W) : 0;
        return (
          <g key={l.c} data-category={l.c}>
            <text x={0} y={l.y + FS} fontSize={FS} fill={TEXT}>
              {l.label}
            </text>
            <text x={W} y={l.y + FS + (l.apart ? lineH : 0)} fontSize={FS} fill={TEXT} textAnchor="end" style={{ fontVariantNumeric: "tabular-nums" }}>
              {l.figure}
            </text>
            <rect x={0} y={l.barY} width={W} height={14} fill="#f3f4f6" />
            {w > 0 ? (
              <rect
                x={0}
                y={l.barY}
                width={w}
                height={14}
                fill={v < 0n ? "#ffffff" : `url(#${id}-${l.c})`}
                stroke={STYLE[l.c].ink}
                strokeWidth={v < 0n ? 1.2 : 0.6}
                strokeDasharray={v < 0n ? "3 2" : undefined}
              >
                <title>{`${l.label}: ${l.figure}`}</title>
              </rect>
            ) : null}
          </g>
        );
      })}
      <text x={W} y={totalY} fontSize={FS} fontWeight={700} fill={TEXT} textAnchor="end">
        {totalText}
      </text>
      {negative ? (
        <text x={0} y={totalY + lineH} fontSize={FS_SMALL} fill={MUTED}>
          {fitText(t("income.chart.negativeNote"), W, FS_SMALL)}
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
 * Households per per-capita bucket, one row per bucket from the lowest down,
 * so that each bucket's name and yuan range sit on a line of their own at
 * full size. With a line the buckets are relative to it: the line is drawn
 * between "50–100 %" and "100–110 %", the buckets below it hatched densely
 * and the NEAR bucket dotted, with a legend; without a line the fixed yuan
 * bands are drawn plain and a note says no line is set.
 */
export function DistributionChart({ buckets, lineFen, t: tProp }: DistributionChartProps) {
  const t = useTranslate(tProp);
  const id = useSafeId();
  const withLine = lineFen !== null && buckets.length > 0 && buckets[0]!.key.startsWith("income.dist.line.");
  const W = CHART_WIDTH;
  const lineH = Math.ceil(FS * 1.4);
  const max = buckets.reduce((m, b) => Math.max(m, b.count), 0);
  const households = buckets.reduce((s, b) => s + b.count, 0);
  const fillOf = (i: number) => (!withLine ? "WAGE" : i <= 1 ? "below" : i === 2 ? "near" : "above");
  const desc = [
    withLine ? t("income.chart.lineItem", { amount: formatYuan(lineFen!) }) : t("income.chart.noLine"),
    ...buckets.map((b) => t("income.chart.bucketItem", { bucket: `${t(b.key)}${withLine ? ` (${bucketRange(b)})` : ""}`, count: b.count })),
  ].join("；");
  const lineLabel = withLine ? t("income.chart.lineLabel", { amount: yuanShort(lineFen!) }) : t("income.chart.noLine");
  const legend = withLine
    ? layoutLegend(
        [
          { key: "below", label: t("income.chart.legendBelow") },
          { key: "near", label: t("income.chart.legendNear") },
          { key: "above", label: t("income.chart.legendAbove") },
          { key: "line", label: t("income.chart.lineLegend") },
        ],
        W,
        FS_SMALL,
      )
    : { items: [], height: 0 };
  const headY = 4;
  const legendY = headY + lineH * 2;
  let y = legendY + legend.height + 6;
  const countW = Math.max(...buckets.map((b) => textWidth(t("income.chart.households", { count: b.count }), FS)), 0) + 6;
  const barMax = W - countW;
  const rows = buckets.map((b, i) => {
    const row = { b, i, y, label: t(b.key), range: withLine ? bucketRange(b) : "" };
    y += lineH + 16 + 8;
    return row;
  });
  const lineY = rows.length > 2 ? rows[2]!.y - 5 : null;
  const H = y + lineH + 2;
  return (
    <Frame id={id} title={t("income.chart.distributionTitle")} desc={desc} width={W} height={H}>
      <text x={0} y={headY + FS} fontSize={FS} fill={withLine ? TEXT : MUTED} fontWeight={withLine ? 700 : 400}>
        {fitText(lineLabel, W, FS)}
      </text>
      <text x={0} y={headY + lineH + FS_SMALL} fontSize={FS_SMALL} fill={MUTED}>
        {t("income.chart.householdsTotal", { count: households })}
      </text>
      <Legend id={id} items={legend.items} y={legendY} />
      {rows.map(({ b, i, y: ry, label, range }) => {
        const w = max > 0 ? (b.count / max) * barMax : 0;
        const count = t("income.chart.households", { count: b.count });
        const rangeX = textWidth(label, FS) + 8;
        return (
          <g key={b.key} data-bucket={b.key}>
            <text x={0} y={ry + FS} fontSize={FS} fill={TEXT}>
              {label}
            </text>
            {range ? (
              <text x={rangeX} y={ry + FS} fontSize={FS_SMALL} fill={MUTED}>
                {fitText(range, W - rangeX, FS_SMALL)}
              </text>
            ) : null}
            {w > 0 ? (
              <rect x={0} y={ry + lineH} width={Math.max(w, 1.5)} height={16} fill={`url(#${id}-${fillOf(i)})`} stroke={TEXT} strokeWidth={0.6}>
                <title>{`${label}${range ? ` (${range})` : ""}: ${t("income.chart.households", { count: b.count })}`}</title>
              </rect>
            ) : null}
            <text x={w + 6} y={ry + lineH + 13} fontSize={FS} fill={TEXT} fontWeight={700}>
              {count}
            </text>
          </g>
        );
      })}
      {withLine && lineY !== null ? (
        <line x1={0} x2={W} y1={lineY} y2={lineY} stroke="#b42318" strokeWidth={1.5} strokeDasharray="5 3">
          <title>{lineLabel}</title>
        </line>
      ) : null}
      <text x={0} y={H - 4} fontSize={FS_SMALL} fill={MUTED}>
        {fitText(withLine ? t("income.chart.axisOfLine") : t("income.chart.axisYuan"), W, FS_SMALL)}
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
 * monitoring line as a dashed mark when known. Years and totals are laid out
 * by ./chart-layout.ts (shortened or every k-th shown, never overlapping); a
 * figure inside a bar only where it fits at full size.
 */
export function TrendChart({ points, t: tProp }: TrendChartProps) {
  const t = useTranslate(tProp);
  const id = useSafeId();
  const rows = trendPerCapita(points);
  const W = Math.min(TREND_MAX_WIDTH, Math.max(CHART_WIDTH, rows.length * 72 + 8));
  const anyLine = rows.some((r) => r.lineFen);
  const legend = layoutLegend([...CATEGORIES.map((c) => ({ key: c as string, label: t(`income.category.${c}`) })), ...(anyLine ? [{ key: "line", label: t("income.chart.lineLegend") }] : [])], W, FS_SMALL);
  const unitY = legend.height + FS_SMALL + 2;
  const top = unitY + 8 + FS + 8;
  const plotH = 190;
  const yearsY = top + plotH + 6;
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
  const centres = rows.map((_, i) => left + i * slot + slot / 2);
  const years = layoutLabelRow(
    rows.map((r, i) => ({ x: centres[i]!, lines: [String(r.year)] })),
    { fontSize: FS_SMALL, y: yearsY, minX: 0, maxX: W },
  );
  const totals = layoutLabelRow(
    rows.map((r, i) => ({ x: centres[i]!, lines: [r.perCapitaFen === null ? "—" : formatYuan(r.perCapitaFen)] })),
    { fontSize: FS_SMALL, y: 0, minX: 0, maxX: W, minChars: 99 },
  );
  const totalOf = new Map(totals.labels.map((l) => [l.index, l]));
  const yearOf = new Map(years.labels.map((l) => [l.index, l]));
  const H = yearsY + Math.ceil(FS_SMALL * 1.25) + 6;
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
    <Frame id={id} title={t("income.chart.trendTitle")} desc={desc} width={W} height={H}>
      <Legend id={id} items={legend.items} y={0} />
      <text x={W - right} y={unitY + 4} fontSize={FS_SMALL} fill={MUTED} textAnchor="end">
        {t("income.chart.perCapitaUnit")}
      </text>
      {rows.length === 0 ? (
        <text x={W / 2} y={top + plotH / 2} fontSize={FS} fill={MUTED} textAnchor="middle">
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
        const total = totalOf.get(i);
        const year = yearOf.get(i);
        return (
          <g key={r.year} data-year={r.year}>
            {segs.map((s) => {
              if (s.h <= 0) return null;
              const label = s.fen === null ? "" : formatYuan(s.fen);
              // inside the bar only at full size; otherwise the bar's tooltip and the description carry it
              const fits = s.h >= FS_SMALL + 4 && textWidth(label, FS_SMALL) <= barW - 2;
              return (
                <g key={s.c}>
                  <rect x={bx} y={s.y} width={barW} height={s.h} fill={`url(#${id}-${s.c})`} stroke={TEXT} strokeWidth={0.4}>
                    <title>{`${r.year} ${t(`income.category.${s.c}`)}: ${label}`}</title>
                  </rect>
                  {fits ? (
                    <text x={bx + barW / 2} y={s.y + s.h / 2 + FS_SMALL * 0.36} fontSize={FS_SMALL} fill={TEXT} textAnchor="middle" stroke="#ffffff" strokeWidth={2.2} paintOrder="stroke">
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
            {total ? (
              <text x={total.x} y={up - 4} fontSize={FS_SMALL} fill={TEXT} textAnchor="middle" fontWeight={700} stroke="#ffffff" strokeWidth={3} paintOrder="stroke">
                {total.lines[0]}
              </text>
            ) : null}
            {year ? (
              <text x={year.x} y={yearsY + FS_SMALL} fontSize={FS_SMALL} fill={TEXT} textAnchor="middle">
                {year.lines[0]}
              </text>
            ) : null}
          </g>
        );
      })}
    </Frame>
  );
}
