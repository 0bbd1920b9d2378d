/**
 * Money and area values for the ledger.
 *
 * Amounts are kept as Decimal in yuan in the domain and as integer fen
 * (bigint) wherever they are stored or split, so that no binary floating
 * point ever touches a payment.
 */
import DecimalBase from "decimal.js";

/**
 * A private clone rather than `DecimalBase.set(...)`: mutating the shared
 * constructor would be a module side effect (package.json declares
 * `"sideEffects": false`, so a bundler may drop it) and would silently change
 * the precision for every other importer of decimal.js. Instances of the clone
 * interoperate with plain decimal.js instances.
 */
export const Decimal = DecimalBase.clone({
  precision: 40,
  rounding: DecimalBase.ROUND_HALF_UP,
  // Keep toString() in plain notation for any realistic amount, so strings
  // we hand to forms and CSV never look like "1e+21".
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalBase;

export type ParseYuanError =
  | "money.required"
  | "money.malformed"
  | "money.negative"
  | "money.precision"
  | "money.tooLarge";

export type ParseYuanResult =
  | { ok: true; value: Decimal }
  | { ok: false; error: ParseYuanError };

export type ParseAreaError =
  | "area.required"
  | "area.malformed"
  | "area.nonpositive"
  | "area.precision";

export type ParseAreaResult =
  | { ok: true; value: Decimal }
  | { ok: false; error: ParseAreaError };

// Either no separators at all, or correctly placed thousands separators:
// "4,8000" is more likely a typo than a number, so it is rejected.
const PLAIN_NUMBER = /^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

type RawParse =
  | { kind: "empty" }
  | { kind: "malformed" }
  | { kind: "ok"; negative: boolean; value: Decimal };

function parsePlainDecimal(input: string, affixes: { prefix?: RegExp; suffix?: RegExp }): RawParse {
  let s = (input ?? "").trim();
  if (s === "") return { kind: "empty" };
  let negative = false;
  if (s.startsWith("-") || s.startsWith("−")) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (affixes.prefix) s = s.replace(affixes.prefix, "");
  if (affixes.suffix) s = s.replace(affixes.suffix, "");
  s = s.trim();
  if (s === "") return { kind: "malformed" };
  // Regex gate before Decimal: decimal.js would happily accept "1e3",
  // "0x10", "Infinity" and " 5", none of which a clerk means as an amount.
  if (!PLAIN_NUMBER.test(s)) return { kind: "malformed" };
  return { kind: "ok", negative, value: new Decimal(s.replace(/,/g, "")) };
}

/**
 * Parses a yuan amount typed by a clerk or read from a spreadsheet.
 *
 * Accepted: "48000", "48,000.00", "1409.5", optionally with a ¥/￥ prefix
 * or a 元 suffix.
 * More than two decimals is only an error when the extra digits are not
 * zero ("1.230" is exactly 1.23 yuan and spreadsheet exports produce it).
 * Any leading minus is "money.negative", even "-0", because a sign on an
 * amount field signals a misunderstanding that the clerk should see.
 */
export function parseYuan(input: string): ParseYuanResult {
  const raw = parsePlainDecimal(input, { prefix: /^[¥￥]\s*/, suffix: /\s*元$/ });
  if (raw.kind === "empty") return { ok: false, error: "money.required" };
  if (raw.kind === "malformed") return { ok: false, error: "money.malformed" };
  if (raw.negative) return { ok: false, error: "money.negative" };
  if (raw.value.decimalPlaces() > 2) return { ok: false, error: "money.precision" };
  if (raw.value.greaterThan(MAX_AMOUNT_YUAN)) return { ok: false, error: "money.tooLarge" };
  return { ok: true, value: raw.value };
}

/**
 * The largest single amount any form or import accepts: 10亿元. A township's
 * yearly rent roll is a few million yuan; anything near this is a typing
 * slip. It also keeps every sum of a district's amounts inside SQLite's
 * 64-bit integers (10^11 fen × 10^6 rows < 9.2 × 10^18) and the capitals
 * printer's range.
 */
export const MAX_AMOUNT_YUAN = "1000000000";
export const MAX_AMOUNT_FEN = 100_000_000_000n;

/**
 * Parses an area in mu (亩). Areas are recorded to 0.01 mu in contracts.
 * `requirePositive` defaults to true because a parcel, share base or plot
 * of zero area is almost always a data-entry mistake; pass false for
 * fields where zero is meaningful (e.g. "area already transferred").
 * Negative areas are always rejected.
 */
export function parseArea(
  input: string,
  options: { requirePositive?: boolean } = {},
): ParseAreaResult {
  const requirePositive = options.requirePositive ?? true;
  const raw = parsePlainDecimal(input, { suffix: /\s*亩$/ });
  if (raw.kind === "empty") return { ok: false, error: "area.required" };
  if (raw.kind === "malformed") return { ok: false, error: "area.malformed" };
  // Any sign is rejected, "-0" included, mirroring parseYuan.
  if (raw.negative) return { ok: false, error: "area.nonpositive" };
  if (requirePositive && raw.value.isZero()) return { ok: false, error: "area.nonpositive" };
  if (raw.value.decimalPlaces() > 2) return { ok: false, error: "area.precision" };
  return { ok: true, value: raw.value };
}

/**
 * Yuan → fen, rounding half-up to the nearest fen. Rounding (rather than
 * throwing) because computed amounts such as area × rent-per-mu routinely
 * carry sub-fen digits; the rounding rule is the one printed on vouchers.
 */
export function toFen(d: Decimal): bigint {
  const v = new Decimal(d);
  if (!v.isFinite()) throw new RangeError("toFen: amount is not finite");
  return BigInt(v.times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

/** Fen → yuan. Throws RangeError for non-integers, which would mean sub-fen money. */
export function fromFen(f: bigint | number | string): Decimal {
  let fen: bigint;
  if (typeof f === "bigint") {
    fen = f;
  } else if (typeof f === "number") {
    // Beyond 2^53 a number has already lost fen; refuse rather than guess.
    if (!Number.isSafeInteger(f)) throw new RangeError("fromFen: not a safe integer");
    fen = BigInt(f);
  } else {
    const s = f.trim();
    if (!/^-?\d+$/.test(s)) throw new RangeError("fromFen: not an integer string");
    fen = BigInt(s);
  }
  return new Decimal(fen.toString()).dividedBy(100);
}

/** An amount of fen as a plain yuan string ("48000.00", "" for none), for loaders: JSON has no bigint. */
export function yuan(fen: bigint | null | undefined): string {
  return fen === null || fen === undefined ? "" : fromFen(fen).toFixed(2);
}

/** "48,000.00"; a bigint argument is fen. Negative amounts keep a leading "-". */
export function formatYuan(d: Decimal | bigint): string {
  const v = typeof d === "bigint" ? fromFen(d) : new Decimal(d);
  if (!v.isFinite()) throw new RangeError("formatYuan: amount is not finite");
  const fixed = v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  const negative = fixed.startsWith("-");
  const [intPart, fracPart] = (negative ? fixed.slice(1) : fixed).split(".");
  const grouped = intPart!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  // "-0.00" would read as a debt of nothing.
  const sign = negative && !/^[0.,]+$/.test(grouped + fracPart) ? "-" : "";
  return `${sign}${grouped}.${fracPart}`;
}

const CAPITAL_DIGITS = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"] as const;
const IN_GROUP_UNITS = ["", "拾", "佰", "仟"] as const;
const GROUP_UNITS = ["", "万", "亿"] as const;

/** Largest amount toCapitals accepts: below 1 万亿 yuan, far above any village ledger. */
export const MAX_CAPITALS_YUAN = "999999999999.99";

/**
 * Amount in Chinese capital numerals (大写金额) as written on vouchers.
 *
 * Conventions (DOMAIN.md §4, plus choices where banks differ):
 * - Every run of zero digits between two non-zero digits of the integer part
 *   is one 零, also across 万/亿 boundaries: 100200 → 壹拾万零贰佰元整,
 *   20001000 → 贰仟万零壹仟元整, 100000001 → 壹亿零壹元整. Trailing zeros
 *   of the integer part write nothing.
 * - Leading 壹 is always written before 拾 (10 → 壹拾元整), as banks require
 *   so that nothing can be prefixed.
 * - 整 after 元 or 角, never after 分.
 * - 角 zero and 分 non-zero → 零 before 分 (325.04 → 叁佰贰拾伍元零肆分).
 * - Integer part ending in zero and 角 non-zero: no 零 is inserted
 *   (1000.50 → 壹仟元伍角整); the payment rules make that 零 optional and the
 *   DOMAIN.md examples don't use it.
 * - Amounts below one yuan omit 元 and any leading 零 (0.05 → 伍分,
 *   0.50 → 伍角整, 0.45 → 肆角伍分); exactly zero is 零元整.
 * - No "人民币" prefix; callers add it where the form wants it.
 *
 * Throws RangeError for negative, non-finite, sub-fen or too-large amounts:
 * a voucher must never show a silently rounded figure.
 */
export function toCapitals(amount: Decimal | string): string {
  let v: Decimal;
  try {
    v = new Decimal(amount);
  } catch {
    throw new RangeError("toCapitals: not a number");
  }
  if (!v.isFinite()) throw new RangeError("toCapitals: not finite");
  if (v.isNegative() && !v.isZero()) throw new RangeError("toCapitals: negative amount");
  if (v.decimalPlaces() > 2) throw new RangeError("toCapitals: more than 2 decimals");
  if (v.greaterThan(MAX_CAPITALS_YUAN)) throw new RangeError("toCapitals: amount too large");

  const [intStr, fracStr = ""] = v.abs().toFixed(2).split(".");
  const jiao = Number(fracStr[0] ?? "0");
  const fen = Number(fracStr[1] ?? "0");
  const intPart = integerCapitals(intStr!);

  if (intPart === "") {
    if (jiao === 0 && fen === 0) return "零元整";
    if (jiao === 0) return `${CAPITAL_DIGITS[fen]}分`;
    return fen === 0
      ? `${CAPITAL_DIGITS[jiao]}角整`
      : `${CAPITAL_DIGITS[jiao]}角${CAPITAL_DIGITS[fen]}分`;
  }
  let out = `${intPart}元`;
  if (jiao === 0 && fen === 0) return `${out}整`;
  if (jiao === 0) return `${out}零${CAPITAL_DIGITS[fen]}分`;
  out += `${CAPITAL_DIGITS[jiao]}角`;
  return fen === 0 ? `${out}整` : `${out}${CAPITAL_DIGITS[fen]}分`;
}

/** "" for zero, so the caller can decide between 零元整 and a bare 角/分 amount. */
function integerCapitals(digits: string): string {
  const s = digits.replace(/^0+/, "");
  let out = "";
  let pendingZero = false;
  let groupHasDigit = false;
  for (let i = 0; i < s.length; i++) {
    const pos = s.length - 1 - i;
    const d = Number(s[i]);
    if (d === 0) {
      pendingZero = true;
    } else {
      // One 零 for any run of zeros, wherever it crosses group boundaries.
      if (pendingZero && out !== "") out += "零";
      pendingZero = false;
      out += CAPITAL_DIGITS[d] + IN_GROUP_UNITS[pos % 4];
      groupHasDigit = true;
    }
    if (pos % 4 === 0) {
      // 万/亿 only when its group of four has a non-zero digit (no 亿万).
      if (groupHasDigit) out += GROUP_UNITS[pos / 4];
      groupHasDigit = false;
    }
  }
  return out;
}
