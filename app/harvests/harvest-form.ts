/**
 * Harvest records (采收记录) as typed on the harvest form, and the yield
 * arithmetic the reports share. Pure: no Prisma, no Remix. Quantities and
 * areas are decimal strings and money is fen, never a binary float.
 *
 * Errors are message keys of app/harvests/messages.ts, tied to their field.
 */
import { isValidDate } from "~/lib/dates";
import type { FieldErrors } from "~/lib/forms";
import { Decimal, MAX_AMOUNT_FEN, parseYuan, toFen } from "~/lib/money";

/** 特级 / 一级 / 二级 / 三级 / 等外, as stored. An empty grade means "not graded". */
export const GRADES = ["SPECIAL", "FIRST", "SECOND", "THIRD", "OFF"] as const;
export type Grade = (typeof GRADES)[number];

/** Units of weight on the form: jin (斤) first, as growers and buyers speak in jin. */
export const UNITS = ["JIN", "KG"] as const;
export type Unit = (typeof UNITS)[number];

/** 1 jin = 0.5 kg exactly (DOMAIN.md §4). */
export const KG_PER_JIN = "0.5";

export const MAX_VARIETY = 30;
export const MAX_BUYER = 60;
export const MAX_NOTE = 200;
/** The earliest harvest the books take; older records belong to paper. */
export const EARLIEST_YEAR = 2000;
/**
 * Above 10,000 kg per mu (20,000 jin, more than twice the best pear yields
 * of DOMAIN.md §4) a quantity is almost surely a typo or the wrong unit.
 */
export const MAX_KG_PER_MU = 10_000;
/** Far above any plot's harvest, well inside safe arithmetic. */
export const MAX_KG = 10_000_000;
/**
 * A price per jin or kg above 10,000 yuan is surely a slip of the keyboard
 * (the dearest fruit sells for tens of yuan a jin).
 */
export const MAX_PRICE_YUAN = 10_000;

export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}
export type RawHarvestForm = Record<string, string | undefined>;

export interface HarvestInput {
  plotId: number;
  harvestedOn: string;
  year: number;
  variety: string;
  /** kg with exactly 2 decimals */
  quantityKg: string;
  /** the number as typed (separators removed), in `enteredUnit` */
  enteredQuantity: string;
  enteredUnit: Unit;
  grade: Grade | "";
  /** yuan per `priceUnit` as typed, "" when no price was given */
  price: string;
  priceUnit: Unit;
  salesFen: bigint;
  /** whether the sales income was typed (true) or computed from the price (false) */
  salesTyped: boolean;
  buyer: string;
  note: string;
}

/** What the form needs to know about the plot it records for. */
export interface HarvestContext {
  /** "YYYY-MM-DD" in China time */
  today: string;
  plot: { variety: string; areaMu: string };
}

// Plain digits or correctly placed thousands separators, as in lib/money.
const PLAIN_NUMBER = /^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;
const UNIT_SUFFIX = /\s*(?:公斤|千克|kg|斤)$/i;

type QuantityParse = { ok: true; text: string; value: Decimal } | { ok: false; error: "required" | "malformed" | "nonpositive" | "precision" };

/** A positive quantity with at most `places` decimals; a unit word after the number is tolerated. */
export function parseQuantity(input: string, places: number): QuantityParse {
  const s = (input ?? "").trim().replace(UNIT_SUFFIX, "").trim();
  if (s === "") return { ok: false, error: "required" };
  if (/^[-−]/.test(s)) return { ok: false, error: "nonpositive" };
  if (!PLAIN_NUMBER.test(s)) return { ok: false, error: "malformed" };
  const text = s.replace(/,/g, "");
  const value = new Decimal(text);
  if (value.isZero()) return { ok: false, error: "nonpositive" };
  // "12.50" is 12.5 exactly: only non-zero extra digits are a problem.
  if (value.decimalPlaces() > places) return { ok: false, error: "precision" };
  return { ok: true, text, value };
}

/** Kilograms of a quantity in the unit; exact, because a jin is half a kilogram. */
export function toKg(quantity: Decimal | string, unit: Unit): Decimal {
  const q = new Decimal(quantity);
  return unit === "JIN" ? q.times(KG_PER_JIN) : q;
}

/** Jin of a quantity in kilograms (exact). */
export function kgToJin(kg: Decimal | string): Decimal {
  return new Decimal(kg).dividedBy(KG_PER_JIN);
}

/**
 * Sales income of `kg` at `price` yuan per `priceUnit`: the quantity is
 * converted to the price's unit, then rounded half-up to the fen.
 */
export function salesFromPrice(kg: Decimal | string, price: Decimal | string, priceUnit: Unit): bigint {
  const quantity = priceUnit === "JIN" ? kgToJin(kg) : new Decimal(kg);
  return toFen(quantity.times(price));
}

/** Yield per mu in kg and in jin, 2 decimals each; null for a plot without area. */
export function yieldPerMu(kg: Decimal | string, areaMu: Decimal | string): { kgPerMu: string; jinPerMu: string } | null {
  const area = new Decimal(areaMu);
  if (area.lte(0)) return null;
  const perMu = new Decimal(kg).dividedBy(area);
  return { kgPerMu: perMu.toFixed(2, Decimal.ROUND_HALF_UP), jinPerMu: kgToJin(perMu).toFixed(2, Decimal.ROUND_HALF_UP) };
}

/**
 * Change from `previous` to `current` in percent with one decimal ("+12.5",
 * "-3.0", "0.0"); null when the earlier year has nothing to compare with.
 */
export function changePercent(current: Decimal | string | null, previous: Decimal | string | null): string | null {
  if (current === null || previous === null) return null;
  const p = new Decimal(previous);
  if (p.lte(0)) return null;
  const change = new Decimal(current).minus(p).dividedBy(p).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  const text = change.toFixed(1);
  return change.gt(0) ? `+${text}` : text === "-0.0" ? "0.0" : text;
}

const isRealDate = isValidDate;

/** A harvest date: a real day, not in the future, not before EARLIEST_YEAR. Accepts 2025/7/8 and 2025.7.8 too. */
export function checkHarvestDate(input: string, today: string): { value: string; error: null } | { value: null; error: Problem } {
  const s = (input ?? "").trim();
  if (!s) return { value: null, error: { key: "harvest.field.date.required" } };
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  const value = m ? `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}` : s;
  if (!isRealDate(value)) return { value: null, error: { key: "harvest.field.date.invalid" } };
  if (value > today) return { value: null, error: { key: "harvest.field.date.future", params: { today } } };
  if (Number(value.slice(0, 4)) < EARLIEST_YEAR) return { value: null, error: { key: "harvest.field.date.tooEarly", params: { year: EARLIEST_YEAR } } };
  return { value, error: null };
}

function optionalId(text: string): number | null | "bad" {
  if (!text) return null;
  return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : "bad";
}

/** The plot id of a raw form, or null when missing or not an id. */
export function plotIdOf(raw: RawHarvestForm): number | null {
  const id = optionalId((raw.plotId ?? "").trim());
  return typeof id === "number" ? id : null;
}

/**
 * Parses the harvest form for the given plot. Every problem is reported at
 * once, under its field's name:
 * - quantity > 0 in jin (at most 1 decimal, so that the kilograms are exact
 *   to 2 decimals) or kg (at most 2 decimals), and plausible for the plot's area;
 * - price ≥ 0 per jin or per kg, optional;
 * - sales income in yuan, optional: when blank it is quantity × price; when
 *   typed it is kept as typed, as buyers pay round sums.
 */
export function parseHarvestForm(raw: RawHarvestForm, ctx: HarvestContext): { ok: true; value: HarvestInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const s = (k: string) => (raw[k] ?? "").trim();

  const plotId = optionalId(s("plotId"));
  if (plotId === null || plotId === "bad") errors.plotId = { key: "harvest.field.plot.required" };

  const date = checkHarvestDate(s("harvestedOn"), ctx.today);
  if (date.error) errors.harvestedOn = date.error;

  // The plot's variety unless another is named (a plot may carry two).
  const variety = s("variety") || ctx.plot.variety;
  if (variety.length > MAX_VARIETY) errors.variety = { key: "harvest.field.variety.tooLong", params: { max: MAX_VARIETY } };

  const enteredUnit = (s("unit") || "JIN") as Unit;
  if (!(UNITS as readonly string[]).includes(enteredUnit)) errors.unit = { key: "harvest.field.unit.invalid" };
  let kg: Decimal | null = null;
  let enteredQuantity = "";
  if (!errors.unit) {
    const q = parseQuantity(s("quantity"), enteredUnit === "JIN" ? 1 : 2);
    if (!q.ok) errors.quantity = { key: `harvest.field.quantity.${q.error}${q.error === "precision" ? enteredUnit : ""}` };
    else {
      kg = toKg(q.value, enteredUnit);
      enteredQuantity = q.text;
      const area = new Decimal(ctx.plot.areaMu || "0");
      if (kg.gt(MAX_KG) || (area.gt(0) && kg.dividedBy(area).gt(MAX_KG_PER_MU))) {
        errors.quantity = { key: "harvest.field.quantity.implausible", params: { max: MAX_KG_PER_MU, jin: MAX_KG_PER_MU * 2 } };
        kg = null;
      }
    }
  }

  const grade = s("grade") as Grade | "";
  if (grade && !(GRADES as readonly string[]).includes(grade)) errors.grade = { key: "harvest.field.grade.invalid" };

  const priceUnit = (s("priceUnit") || "JIN") as Unit;
  if (!(UNITS as readonly string[]).includes(priceUnit)) errors.priceUnit = { key: "harvest.field.unit.invalid" };
  let price: Decimal | null = null;
  const priceText = s("price").replace(/\s*元?\s*(?:\/|每)?\s*(?:公斤|千克|kg|斤)$/i, "");
  if (priceText) {
    const p = parseYuan(priceText);
    if (!p.ok) errors.price = { key: `harvest.field.price.${p.error.slice("money.".length)}`, ...(p.error === "money.tooLarge" ? { params: { max: "10,000" } } : {}) };
    else if (p.value.gt(MAX_PRICE_YUAN)) errors.price = { key: "harvest.field.price.tooLarge", params: { max: "10,000" } };
    else price = p.value;
  }

  let salesFen = 0n;
  let salesTyped = false;
  const salesText = s("sales");
  if (salesText) {
    const p = parseYuan(salesText);
    if (!p.ok) errors.sales = { key: `harvest.field.sales.${p.error.slice("money.".length)}` };
    else {
      salesFen = toFen(p.value);
      salesTyped = true;
    }
  } else if (price !== null && kg !== null && !errors.priceUnit) {
    salesFen = salesFromPrice(kg, price, priceUnit);
  }
  // typed or computed, the sales income has the bound of every amount (1,000,000,000 yuan)
  if (!errors.sales && salesFen > MAX_AMOUNT_FEN) errors[salesTyped ? "sales" : "price"] = { key: "harvest.field.sales.tooLarge" };

  const buyer = s("buyer");
  if (buyer.length > MAX_BUYER) errors.buyer = { key: "harvest.field.buyer.tooLong", params: { max: MAX_BUYER } };
  const note = s("note");
  if (note.length > MAX_NOTE) errors.note = { key: "harvest.field.note.tooLong", params: { max: MAX_NOTE } };

  if (Object.keys(errors).length || kg === null || date.value === null || typeof plotId !== "number") return { ok: false, errors };
  return {
    ok: true,
    value: {
      plotId,
      harvestedOn: date.value,
      year: Number(date.value.slice(0, 4)),
      variety,
      quantityKg: kg.toFixed(2),
      enteredQuantity,
      enteredUnit,
      grade,
      price: price === null ? "" : price.toString(),
      priceUnit,
      salesFen,
      salesTyped,
      buyer,
      note,
    },
  };
}
