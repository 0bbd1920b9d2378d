/**
 * Where the income charts put their words (issue 15: text ≥ 12 px at the
 * size it is shown, labels that never overlap). The charts draw at their own
 * pixel size (viewBox = CSS size), so a font size here is the size on screen
 * and on paper. A row of labels under bars is laid out here: every label at
 * full length if they fit, else shortened with "…", else only every k-th
 * label shown; never two boxes over each other. Pure: no framework.
 */

/** The smallest text any chart draws, in CSS px. */
export const MIN_FONT_PX = 12;

/** Rough text width in px: CJK one em, Latin and digits about 0.56 em (generous, so estimates err wide). */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(ch) ? 1 : /[\u2000-\u206F]/.test(ch) ? 1 : 0.56;
  return w * size;
}

/** The longest start of `text` (with "…" when cut) that fits `width`; "" when not even one character does. */
export function fitText(text: string, width: number, size: number): string {
  if (textWidth(text, size) <= width) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n >= 1; n--) {
    const cut = `${chars.slice(0, n).join("")}…`;
    if (textWidth(cut, size) <= width) return cut;
  }
  return "";
}

export interface LabelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface PlacedLabel {
  /** index of the item */
  index: number;
  /** the centre the label is drawn at (moved inward at the edges) */
  x: number;
  lines: string[];
  box: LabelBox;
}

export interface LabelRow {
  labels: PlacedLabel[];
  /** every k-th item is labelled (1: all) */
  step: number;
  shortened: boolean;
}

export interface LabelRowOptions {
  fontSize: number;
  /** top of the row */
  y: number;
  lineHeight?: number;
  /** space between two labels */
  gap?: number;
  minX: number;
  maxX: number;
  /** fewest characters (before "…") a shortened label keeps; fewer and labels are skipped instead */
  minChars?: number;
}

/**
 * Labels (one or more lines each) centred under points `x` (ascending),
 * on one row between minX and maxX. Tries every label in full, then every
 * label shortened to its room, then every 2nd, 3rd … label, and takes the
 * first layout whose boxes do not overlap; the first item is always labelled.
 */
export function layoutLabelRow(items: readonly { x: number; lines: readonly string[] }[], o: LabelRowOptions): LabelRow {
  const gap = o.gap ?? 4;
  const lineHeight = o.lineHeight ?? Math.ceil(o.fontSize * 1.25);
  const minChars = o.minChars ?? 2;
  const span = Math.max(0, o.maxX - o.minX);
  const n = items.length;
  const place = (index: number, lines: string[]): PlacedLabel => {
    const w = Math.max(0, ...lines.map((l) => textWidth(l, o.fontSize)));
    const x = Math.min(Math.max(items[index]!.x, o.minX + w / 2), o.maxX - w / 2);
    return { index, x, lines, box: { x0: x - w / 2, x1: x + w / 2, y0: o.y, y1: o.y + lines.length * lineHeight } };
  };
  // inside the row, and apart from the one before
  const clear = (ls: PlacedLabel[]) => ls.every((l, i) => l.box.x1 - l.box.x0 <= span && (i === 0 || ls[i - 1]!.box.x1 + gap <= l.box.x0));
  for (let step = 1; step <= Math.max(n, 1); step++) {
    const shown = items.map((_, i) => i).filter((i) => i % step === 0);
    const full = shown.map((i) => place(i, [...items[i]!.lines]));
    if (clear(full)) return { labels: full, step, shortened: false };
    // the room of a label: half the way to each shown neighbour, less the gap
    const cut = shown.map((i, k) => {
      const prev = k > 0 ? items[shown[k - 1]!]!.x : -Infinity;
      const next = k < shown.length - 1 ? items[shown[k + 1]!]!.x : Infinity;
      const x = items[i]!.x;
      const room = Math.min(2 * Math.min(x - prev, next - x, Infinity) - gap, span);
      const lines = items[i]!.lines.map((l) => fitText(l, Math.max(0, room), o.fontSize));
      const keeps = items[i]!.lines.every((l, j) => lines[j] === l || [...lines[j]!].length - 1 >= Math.min(minChars, [...l].length));
      return keeps ? place(i, lines) : null;
    });
    if (cut.every((l) => l !== null) && clear(cut as PlacedLabel[])) return { labels: cut as PlacedLabel[], step, shortened: true };
  }
  // one label, shortened to the whole row
  if (n === 0) return { labels: [], step: 1, shortened: false };
  return { labels: [place(0, items[0]!.lines.map((l) => fitText(l, span, o.fontSize)))], step: Math.max(n, 1), shortened: true };
}

/** Whether two boxes share any area (touching edges do not). */
export function boxesOverlap(a: LabelBox, b: LabelBox): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

export interface LegendItem {
  key: string;
  label: string;
}

/** Legend items flowing left to right and wrapping, so long (English) labels never overlap. */
export function layoutLegend(items: readonly LegendItem[], width: number, fontSize: number, swatch = 14): { items: (LegendItem & { x: number; y: number; box: LabelBox })[]; height: number } {
  const rowH = Math.ceil(fontSize * 1.5);
  const out: (LegendItem & { x: number; y: number; box: LabelBox })[] = [];
  let x = 0;
  let y = 0;
  for (const it of items) {
    const label = fitText(it.label, width - swatch - 4, fontSize) || it.label.slice(0, 1);
    const w = swatch + 4 + textWidth(label, fontSize);
    if (x > 0 && x + w > width) {
      x = 0;
      y += rowH;
    }
    out.push({ ...it, label, x, y, box: { x0: x, x1: x + w, y0: y, y1: y + rowH - 2 } });
    x += w + 12;
  }
  return { items: out, height: items.length ? y + rowH : 0 };
}
