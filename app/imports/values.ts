/**
 * Cell values as villages write them, to the codes the forms take: 与户主关系
 * (户主, 妻, 长子 …), 户类型, yes/no, 村民小组 ("3", "三组", "第3村民小组"),
 * 地块类别, 流转方式, 用途, 支付方式. Pure.
 */
import type { Form, Use } from "~/contracts/contract-form";
import type { PLOT_CATEGORIES } from "~/contracts/plot-form";
import type { HouseholdStatus, Relation } from "~/registry/household-form";

// The same few words ("户主", "是", "一般户") fill most enum cells of a roster: remember them.
const wordCache = new Map<string, string>();

/** Full-width → half-width, no spaces, lower case: how enum-like cells are compared. */
export function normalizeWord(s: string): string {
  const hit = wordCache.get(s);
  if (hit !== undefined) return hit;
  const n = s
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/\([^()]*\)|（[^（）]*）/g, "")
    .toLowerCase();
  if (wordCache.size > 5000) wordCache.clear();
  wordCache.set(s, n);
  return n;
}

const PLAIN_CODE = /^[0-9A-Z]*$/;

/** Codes (ID numbers, parcel codes, accounts): half-width, no spaces, upper case. */
export function normalizeCode(s: string): string {
  if (PLAIN_CODE.test(s)) return s;
  // a leading apostrophe is Excel's way of typing a number as text
  return s.normalize("NFKC").replace(/[\s\u200b]+/g, "").replace(/^'/, "").toUpperCase();
}

/** A long number Excel wrote in scientific notation ("3.71702E+17" in a CSV): its digits are gone. */
export function isScientific(s: string): boolean {
  return /^\d+(?:\.\d+)?E\+?\d+$/i.test(s);
}

/**
 * Whether an INVALID code looks like a long number that went through Excel
 * as a number: scientific notation, or 16+ digits ending in the zeros that
 * replace everything after the 15th significant digit. Only for values that
 * already failed their check (a valid code may end in zeros).
 */
export function looksLikeLostDigits(s: string): boolean {
  if (isScientific(s)) return true;
  return /^\d{16,}$/.test(s) && /^0+$/.test(s.slice(15));
}

function table<T extends string>(entries: Record<T, string[]>): Map<string, T> {
  const m = new Map<string, T>();
  for (const [code, words] of Object.entries(entries) as [T, string[]][]) {
    m.set(normalizeWord(code), code);
    for (const w of words) m.set(normalizeWord(w), code);
  }
  return m;
}

export interface WordTable<T extends string> {
  map: Map<string, T>;
  /** the words shown to the user as accepted values */
  shown: string[];
}

function words<T extends string>(entries: Record<T, string[]>): WordTable<T> {
  return { map: table(entries), shown: Object.values<string[]>(entries).map((w) => w[0]!) };
}

export const RELATION_WORDS: WordTable<Relation> = words<Relation>({
  HEAD: ["户主", "本人", "户主本人"],
  SPOUSE: ["配偶", "妻", "妻子", "夫", "丈夫", "之妻", "之夫", "爱人", "老伴"],
  SON: ["子", "儿子", "长子", "次子", "三子", "四子", "五子", "独子", "养子", "继子", "之子"],
  DAUGHTER: ["女", "女儿", "长女", "次女", "三女", "四女", "五女", "独女", "养女", "继女", "之女"],
  SON_IN_LAW: ["女婿", "婿"],
  DAUGHTER_IN_LAW: ["儿媳", "儿媳妇", "媳妇", "长媳", "次媳"],
  GRANDSON: ["孙子", "孙", "外孙", "外孙子", "长孙", "次孙"],
  GRANDDAUGHTER: ["孙女", "外孙女", "长孙女", "次孙女"],
  FATHER: ["父亲", "父", "爸爸"],
  MOTHER: ["母亲", "母", "妈妈"],
  SIBLING: ["兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹"],
  OTHER: ["其他", "其它", "祖父", "祖母", "侄子", "侄女", "岳父", "岳母", "公公", "婆婆", "孙媳妇", "曾孙", "曾孙女", "外甥", "外甥女"],
});

export const STATUS_WORDS: WordTable<HouseholdStatus> = words<HouseholdStatus>({
  ORDINARY: ["一般户", "普通户", "一般农户", "普通农户", "非贫困户", "一般", "普通"],
  ALLEVIATED: ["脱贫户", "已脱贫户", "脱贫", "已脱贫", "脱贫享受政策户", "脱贫不享受政策户", "稳定脱贫户", "建档立卡脱贫户"],
  MONITORED: ["监测户", "监测对象", "监测", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "防止返贫监测对象", "防返贫监测对象", "边缘户"],
});

export const BOOL_WORDS: WordTable<"true" | "false"> = words<"true" | "false">({
  true: ["是", "有", "√", "✓", "y", "yes", "1", "对", "有劳动能力", "劳动力", "普通劳动力", "技能劳动力", "弱劳动力", "半劳动力"],
  false: ["否", "无", "×", "✗", "n", "no", "0", "不是", "无劳动能力", "丧失劳动能力", "非劳动力", "无劳动力"],
});

export const CATEGORY_WORDS: WordTable<(typeof PLOT_CATEGORIES)[number]> = words<(typeof PLOT_CATEGORIES)[number]>({
  CONTRACTED: ["家庭承包地", "承包地", "家庭承包", "承包地块", "10"],
  PRIVATE: ["自留地", "21"],
  RESERVE: ["机动地", "22"],
  RECLAIMED: ["开荒地", "开垦地", "23"],
  OTHER: ["其他", "其它", "其他集体土地", "99"],
});

export const FORM_WORDS: WordTable<Form> = words<Form>({
  LEASE: ["出租", "租赁", "租用"],
  SUBCONTRACT: ["转包"],
  EQUITY: ["入股", "股份合作", "土地入股"],
  TRANSFER: ["转让"],
  SWAP: ["互换"],
  OTHER: ["其他", "其它"],
});

export type TransfereeKind = "COOPERATIVE" | "ENTERPRISE" | "GROWER" | "OTHER";
export const TRANSFEREE_KIND_WORDS: WordTable<TransfereeKind> = words<TransfereeKind>({
  COOPERATIVE: ["合作社", "本系统合作社", "农民专业合作社", "土地股份合作社", "专业合作社", "股份合作社"],
  ENTERPRISE: ["企业", "公司", "工商企业", "农业企业", "龙头企业", "农业公司"],
  GROWER: ["种植大户", "大户", "个人", "农户", "家庭农场", "种养大户", "专业大户", "自然人"],
  OTHER: ["其他", "其它"],
});

export const USE_WORDS: WordTable<Use> = words<Use>({
  GRAIN: ["粮食种植", "粮食", "种植粮食", "粮食作物", "种粮", "小麦", "玉米", "小麦玉米"],
  ORCHARD: ["果园", "果树", "种植果树", "果树种植", "梨", "桃", "苹果"],
  NURSERY: ["苗木花卉", "苗木", "花卉", "牡丹", "芍药", "绿化苗木", "育苗"],
  VEGETABLE: ["蔬菜种植", "蔬菜", "大棚蔬菜", "种植蔬菜"],
  FISH_POND: ["鱼塘养殖", "鱼塘", "水产", "养鱼", "水产养殖"],
  LIVESTOCK: ["畜禽养殖", "畜禽", "养殖", "养殖业"],
  OTHER_AGRI: ["其他农业用途", "其他农业", "中药材", "经济作物", "其他", "其它", "种植"],
});

export type Timing = "ONCE" | "YEARLY" | "ADVANCE" | "INSTALMENTS" | "QUARTERLY" | "MONTHLY" | "HALF_YEARLY";
const TIMING_TABLE: WordTable<Timing> = words<Timing>({
  YEARLY: ["每年", "每年支付", "每年定期支付", "按年", "按年支付", "年付", "每年一次", "一年一付"],
  ONCE: ["一次性", "一次性支付", "一次付清", "一次性付清"],
  ADVANCE: ["预付", "每年预付", "先付后用", "年初预付"],
  INSTALMENTS: ["分期", "分期支付"],
  HALF_YEARLY: ["半年", "每半年", "半年一付"],
  QUARTERLY: ["按季", "每季", "按季度", "每季度"],
  MONTHLY: ["按月", "每月"],
});
export const TIMING_WORDS = { map: TIMING_TABLE.map, shown: TIMING_TABLE.shown.slice(0, 4) };

/** The payment timing of the contract form, with the number of instalments when the word implies it. */
export function parseTiming(value: string): { timing: "ONCE" | "YEARLY" | "ADVANCE" | "INSTALMENTS"; perYear: number | null } | null {
  const t = TIMING_TABLE.map.get(normalizeWord(value));
  if (!t) return null;
  if (t === "HALF_YEARLY") return { timing: "INSTALMENTS", perYear: 2 };
  if (t === "QUARTERLY") return { timing: "INSTALMENTS", perYear: 4 };
  if (t === "MONTHLY") return { timing: "INSTALMENTS", perYear: 12 };
  return { timing: t, perYear: null };
}

export const RENT_KIND_WORDS: WordTable<"CASH" | "IN_KIND"> = words<"CASH" | "IN_KIND">({
  CASH: ["现金", "货币", "元", "人民币"],
  IN_KIND: ["实物", "实物折价", "粮食", "小麦", "玉米", "斤"],
});

export function lookupWord<T extends string>(t: WordTable<T>, value: string): T | null {
  return t.map.get(normalizeWord(value)) ?? null;
}

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–99 in Chinese numerals (三, 十二, 二十, 二十三) or digits. */
export function parseSmallNumber(s: string): number | null {
  if (/^\d{1,3}$/.test(s)) return Number(s);
  const m = /^([一二两三四五六七八九])?(十)?([〇零一二两三四五六七八九])?$/.exec(s);
  if (!m || s === "") return null;
  if (!m[2]) return m[1] && !m[3] ? CN_DIGITS[m[1]]! : null;
  return (m[1] ? CN_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CN_DIGITS[m[3]]! : 0);
}

export interface GroupRef {
  id: number;
  /** the 2-digit group number ("03") or the number itself (3) */
  number: number | string;
  name: string;
}

/** The villager group (村民小组) a cell names: its number ("3", "03", "三组", "第3村民小组") or its exact name. */
export function findGroup<G extends GroupRef>(value: string, groups: readonly G[]): G | null {
  const v = value.normalize("NFKC").replace(/\s+/g, "");
  if (!v) return null;
  const byName = groups.find((g) => g.name.normalize("NFKC").replace(/\s+/g, "") === v);
  if (byName) return byName;
  const m = /^(?:.*?第)?([0-9]{1,3}|[〇零一二两三四五六七八九十]{1,3})(?:村民)?(?:小)?(?:组)?$/.exec(v);
  const n = m ? parseSmallNumber(m[1]!) : null;
  if (n === null) return null;
  return groups.find((g) => Number(g.number) === n) ?? null;
}

/** "03" from a group's number, as parcel codes write it. */
export function groupNumber2(g: GroupRef): string {
  return String(Number(g.number)).padStart(2, "0");
}

/** Number-like cells for the money and area parsers: half-width, no spaces; units such as 元/亩/年 dropped. */
export function cleanNumber(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/(元)?\/亩(\/年)?$|元\/年$|亩$|元$|%$/, "");
}
