/**
 * Deterministic demo and benchmark data for Cunshe Ledger.
 *
 * Everything below comes from one seeded PRNG (mulberry32) and fixed dates,
 * so two runs produce identical townships, villages, households and people
 * (only the password hashes differ, because scrypt salts are random).
 * Rows are written with better-sqlite3 directly, in one transaction, with
 * explicit ids: the district scale (~100,000 households, ~350,000 people and
 * a few million search-index rows) loads in seconds rather than the minutes
 * that Prisma's per-row round trips would take.
 */
import Database from "better-sqlite3";
import { hashPassword } from "../../app/auth/password.server";
import { makeCreditCode } from "../../app/registry/credit-code";
import { makeIdNumber } from "../../app/registry/id-number";
import { householdTerms } from "../../app/registry/search-index.server";
import { seedLand } from "./demo-land";
import { seedOrchardPlots } from "./demo-plots";
import { seedIncome } from "./demo-income";
import { seedHarvests } from "./demo-harvests";
import { applyMigrations } from "./migrate";
import { Rng } from "./rng";

// ─── Public constants ──────────────────────────────────────────────────────

export type SeedScale = "demo" | "district";

export const DEMO_PASSWORD = "cunshe-demo-2026";

export interface DemoAccount {
  username: string;
  displayName: string;
  password: string;
  role: "ADMIN" | "TOWNSHIP" | "SECRETARY" | "ACCOUNTANT" | "CHAIR" | "SUPERVISOR";
  /** name of the scope row; exactly one of these is set, none for ADMIN */
  township?: string;
  village?: string;
  cooperative?: string;
}

/** One account per role, present at both scales (literal types, so usernames type-check in tests). */
export const DEMO_ACCOUNTS = [
  { username: "admin", displayName: "系统管理员 王管理", password: DEMO_PASSWORD, role: "ADMIN" },
  { username: "township", displayName: "小留镇干部 张乡长", password: DEMO_PASSWORD, role: "TOWNSHIP", township: "小留镇" },
  { username: "secretary", displayName: "鲁谢庄村书记 谢书记", password: DEMO_PASSWORD, role: "SECRETARY", village: "鲁谢庄村" },
  { username: "secretary2", displayName: "刘庄村书记 刘书记", password: DEMO_PASSWORD, role: "SECRETARY", village: "刘庄村" },
  { username: "accountant", displayName: "续强合作社会计 鲁会计", password: DEMO_PASSWORD, role: "ACCOUNTANT", cooperative: "牡丹区续强合作社" },
  // The board's sign-off (maker-checker): the chair approves and issues what the accountant drafts; the supervisor reads and records objections.
  { username: "chair", displayName: "续强合作社理事长 鲁续强", password: DEMO_PASSWORD, role: "CHAIR", cooperative: "牡丹区续强合作社" },
  { username: "supervisor", displayName: "续强合作社监事 谢监事", password: DEMO_PASSWORD, role: "SUPERVISOR", cooperative: "牡丹区续强合作社" },
] as const satisfies readonly DemoAccount[];
const ACCOUNTS: readonly DemoAccount[] = DEMO_ACCOUNTS;

/**
 * A child whose full name occurs in no other household (its given name is
 * kept out of the name pools), for search tests: searching "谢雨萱" finds
 * exactly one household, headed by 谢建国 in 鲁谢庄村.
 */
export const DEMO_CHILD = { name: "谢雨萱", headName: "谢建国", villageName: "鲁谢庄村", townshipName: "小留镇" } as const;

export const COUNTY_CODE = "371702";
export const SEED = 20260101;
/** The day the data describes: ages are counted to it and all created/updated stamps are it. */
export const AS_OF = "2026-01-01";

export interface DemoVillage {
  name: string;
  /** 3-digit village part of the code */
  number: string;
  /** surnames of the lineages that dominate the village */
  surnames: string[];
}
export interface DemoTownship {
  name: string;
  code: string;
  villages: DemoVillage[];
}

export const DEMO_TOWNSHIPS: readonly DemoTownship[] = [
  {
    name: "小留镇",
    code: "371702102000",
    villages: [
      { name: "鲁谢庄村", number: "001", surnames: ["鲁", "谢"] },
      { name: "刘庄村", number: "002", surnames: ["刘"] },
      { name: "梨高庄村", number: "003", surnames: ["高"] },
      { name: "吴油坊村", number: "004", surnames: ["吴"] },
      { name: "邵寺村", number: "005", surnames: ["邵"] },
      { name: "王集村", number: "006", surnames: ["王"] },
      { name: "郭吴朱村", number: "007", surnames: ["郭", "吴", "朱"] },
    ],
  },
  {
    name: "安兴镇",
    code: "371702104000",
    villages: [{ name: "船郭庄村", number: "001", surnames: ["郭"] }],
  },
];

export interface DemoCooperative {
  name: string;
  type: "LAND_SHARE" | "PROFESSIONAL";
  township: string;
  villages: string[];
  legalRepresentative: string;
}

export const DEMO_COOPERATIVES: readonly DemoCooperative[] = [
  { name: "牡丹区续强合作社", type: "LAND_SHARE", township: "小留镇", villages: ["鲁谢庄村"], legalRepresentative: "鲁续强" },
  { name: "菏泽市牡丹区梨王合作社", type: "PROFESSIONAL", township: "小留镇", villages: ["梨高庄村"], legalRepresentative: "高春生" },
  { name: "牡丹区刘庄桃园专业合作社", type: "PROFESSIONAL", township: "小留镇", villages: ["刘庄村"], legalRepresentative: "刘振华" },
  { name: "牡丹区吴油坊海棠苗木专业合作社", type: "PROFESSIONAL", township: "小留镇", villages: ["吴油坊村", "邵寺村"], legalRepresentative: "吴德胜" },
  { name: "安兴镇船郭庄土地股份合作社", type: "LAND_SHARE", township: "安兴镇", villages: ["船郭庄村"], legalRepresentative: "郭广田" },
];

/** Townships of the district scale besides the demo ones: [name, 3-digit township part]. */
const DISTRICT_TOWNSHIPS: readonly (readonly [string, string])[] = [
  ["牡丹街道", "001"],
  ["东城街道", "002"],
  ["西城街道", "003"],
  ["南城街道", "004"],
  ["北城街道", "005"],
  ["佃户屯街道", "006"],
  ["岳程街道", "007"],
  ["皇镇街道", "008"],
  ["万福街道", "009"],
  ["何楼街道", "010"],
  ["沙土镇", "100"],
  ["吴店镇", "101"],
  ["王浩屯镇", "103"],
  ["黄堽镇", "105"],
  ["都司镇", "106"],
  ["高庄镇", "107"],
  ["李村镇", "108"],
  ["马岭岗镇", "109"],
];

const DISTRICT_TARGET_HOUSEHOLDS = 100_000;
const XIAOLIU_DISTRICT_HOUSEHOLDS = 6_000;

// ─── PRNG ──────────────────────────────────────────────────────────────────

class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly total: number;
  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let sum = 0;
    for (const w of weights) this.cum.push((sum += w));
    this.total = sum;
  }
  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

// ─── Name pools ────────────────────────────────────────────────────────────

const SURNAMES = (
  "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 " +
  "余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 " +
  "史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤"
).split(" ");
// Roughly the national frequency order, flattened a little; the four big
// northern surnames are more common still around Heze.
const SURNAME_POOL = new Weighted(
  SURNAMES,
  SURNAMES.map((s, i) => (["王", "李", "张", "刘"].includes(s) ? 3 : 1) / Math.pow(i + 4, 0.85)),
);

type Era = 0 | 1 | 2 | 3;
function eraOf(birthYear: number): Era {
  return birthYear <= 1958 ? 0 : birthYear <= 1978 ? 1 : birthYear <= 1999 ? 2 : 3;
}
const split = (s: string) => s.trim().split(/\s+/);
/** Given names by era (born ≤1958, ≤1978, ≤1999, later) and sex. 雨萱 is reserved for DEMO_CHILD. */
const GIVEN: Record<"M" | "F", readonly string[][]> = {
  M: [
    split(`建国 国庆 保国 振华 德福 德胜 玉山 长林 庆云 广田 树林 福海 春生 金山 玉林 殿臣 凤岐 立本 文明 守义 兆祥 宝山 长河
      秀峰 广明 万福 廷杰 玉成 连生 怀德 继先 庆余 清泉 瑞祥 胜利 解放 新民 国栋 永福 洪顺 明德 学礼 中和 金亮 满仓 有才
      林 山 福 贵 成 海 祥`),
    split(`建军 卫东 红军 志强 建华 国强 永强 海军 立军 新华 振东 建民 卫国 红旗 向东 保华 建设 学军 永刚 志刚 继红 庆华 国华
      宝林 士军 洪涛 庆忠 建伟 树青 国良 建勇 传军 广军 召军 现伟 新峰 伟 军 勇 强 东 峰 刚 斌 明 杰`),
    split(`磊 鹏 超 浩 杰 鑫 帅 亮 凯 涛 晨 阳 俊 鹏飞 文博 晓东 志伟 海涛 建波 明辉 振宇 晓龙 永辉 亚东 兴旺 宝华 金龙 新宇
      文涛 俊杰 学良 庆辉 东升 宏伟 建新 剑 冲 硕 国梁 传奇 少华 延峰 成龙`),
    split(`子轩 浩然 宇轩 梓豪 俊杰 浩宇 博文 子豪 皓轩 铭 宇 睿 昊 泽 辰 一鸣 子墨 宇航 家豪 明哲 天佑 宇泽 梓睿 煜祺 沐阳
      梓航 俊熙 嘉懿 奕辰 晨阳 宸 锦程 思远 浩轩 佳豪 瑞 博 子恒 天宇 承泽`),
  ],
  F: [
    split(`秀英 桂英 玉兰 桂兰 秀兰 凤英 淑珍 玉梅 秀珍 桂芝 兰英 素芬 翠花 凤兰 玉珍 秀云 淑英 金花 爱华 春梅 玉莲 桂香 秀芝
      凤芝 玉凤 素珍 月娥 巧云 俊英 秀荣 桂荣 玉芳 玉英 淑兰 荣华 美英 兰芝 彩云 金凤 喜梅`),
    split(`红梅 丽 芳 霞 艳 燕 丽娟 红霞 秀梅 春燕 海燕 丽华 玉霞 红 敏 静 莉 晓红 彩霞 娟 桂芹 秀霞 爱玲 美玲 素梅 艳红 翠萍
      凤霞 丽萍 红英 淑红 爱霞 春霞 秋菊 冬梅 玉洁 红艳 海霞 立新`),
    split(`婷婷 静 丽 雪 倩 娜 敏 晶晶 佳 慧 晓燕 丹丹 莉莉 欢 蕾 梦 璐 晓丽 亚楠 佳佳 倩倩 园园 盼盼 甜甜 晓雪 文静 玉婷 楠楠
      晓敏 丽娜 梦雪 艳艳 春晓 玲玲 萌萌 琳 颖 芳芳 菲菲`),
    split(`梓涵 子涵 欣怡 诗涵 雨涵 可馨 思彤 一诺 语桐 佳怡 梦瑶 紫涵 雅琪 若曦 欣妍 梓萱 艺涵 依诺 佳琪 芷若 雨彤 静怡 心怡
      梓琪 思涵 晨曦 语嫣 嘉怡 梦琪 书瑶 可欣 雨欣 悦 彤 妍 萌 涵 瑶 琪`),
  ],
};

const MOBILE_PREFIXES = split(
  "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 176 177 178 180 181 182 183 184 185 186 187 188 189 198 199",
);
const BANK_NAME = "菏泽农商银行";
const MONITOR_REASONS = ["因病", "因残", "因意外事故", "因学", "因灾", "因务工就业不稳", "因产业项目失败"];
const GROUP_NAMES = ["第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组", "第六村民小组", "第七村民小组", "第八村民小组"];

// ─── Dates ─────────────────────────────────────────────────────────────────

/** How Prisma's better-sqlite3 adapter stores DateTime (ISO 8601, "+00:00"). */
function stamp(date: string): string {
  return `${date}T00:00:00.000+00:00`;
}
const AS_OF_STAMP = stamp(AS_OF);
const AS_OF_YEAR = Number(AS_OF.slice(0, 4));

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
const pad = (n: number, w: number) => String(n).padStart(w, "0");

// ─── Plan: townships and villages ──────────────────────────────────────────

interface VillagePlan {
  name: string;
  number: string;
  surnames: string[];
  households: number;
  groups: number;
  demo: boolean;
}
interface TownshipPlan {
  name: string;
  code: string;
  villages: VillagePlan[];
}

const VILLAGE_SUFFIXES = split("庄 楼 集 寨 庙 屯 店 营 堂 园 口 洼 桥 堤 岗 海 坊 窑 寺 固堆 油坊 花园 庄寨");
const VILLAGE_PREFIXES = split("大 小 东 西 南 北 前 后 新 老 上 中");

function villageName(rng: Rng, used: Set<string>, street: boolean): { name: string; surnames: string[] } {
  for (;;) {
    const s1 = SURNAME_POOL.pick(rng);
    const r = rng.next();
    let base: string;
    let surnames = [s1];
    if (r < 0.45) base = s1 + rng.pick(VILLAGE_SUFFIXES);
    else if (r < 0.8) base = rng.pick(VILLAGE_PREFIXES) + s1 + rng.pick(VILLAGE_SUFFIXES);
    else {
      const s2 = SURNAME_POOL.pick(rng);
      if (s2 === s1) continue;
      base = s1 + s2 + rng.pick(["庄", "楼", "集", "寨"]);
      surnames = [s1, s2];
    }
    const name = base + (street && rng.chance(0.3) ? "社区" : "村");
    if (used.has(name) || used.has(base + "村") || used.has(base + "社区")) continue;
    used.add(name);
    return { name, surnames };
  }
}

/** Splits `total` into `n` parts proportional to random weights in [0.5, 1.5). */
function splitTotal(rng: Rng, total: number, n: number): number[] {
  const w = Array.from({ length: n }, () => 0.5 + rng.next());
  const sum = w.reduce((a, b) => a + b, 0);
  const parts = w.map((x) => Math.floor((total * x) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) parts[i]!++;
  return parts;
}

function makePlan(scale: SeedScale, rng: Rng): TownshipPlan[] {
  const used = new Set(DEMO_TOWNSHIPS.flatMap((t) => t.villages.map((v) => v.name)));
  if (scale === "demo") {
    return DEMO_TOWNSHIPS.map((t) => ({
      name: t.name,
      code: t.code,
      villages: t.villages.map((v) => ({ ...v, households: rng.int(170, 210), groups: rng.int(4, 8), demo: true })),
    }));
  }
  // District: the two demo townships (小留镇 at ~6,000 households) plus 18 others,
  // each with 12–25 villages, about 100,000 households in all.
  const specs: { name: string; code: string; demo?: DemoTownship }[] = [
    ...DEMO_TOWNSHIPS.map((t) => ({ name: t.name, code: t.code, demo: t })),
    ...DISTRICT_TOWNSHIPS.map(([name, part]) => ({ name, code: `${COUNTY_CODE}${part}000` })),
  ].sort((a, b) => a.code.localeCompare(b.code));
  const others = specs.filter((s) => s.name !== "小留镇");
  const rawTargets = others.map(() => 3800 + rng.int(0, 2400));
  const rawSum = rawTargets.reduce((a, b) => a + b, 0);
  const otherTotal = DISTRICT_TARGET_HOUSEHOLDS - XIAOLIU_DISTRICT_HOUSEHOLDS;
  const targets = new Map<string, number>(others.map((s, i) => [s.name, Math.round((rawTargets[i]! * otherTotal) / rawSum)]));
  targets.set("小留镇", XIAOLIU_DISTRICT_HOUSEHOLDS);

  return specs.map((s) => {
    const nVillages = s.name === "小留镇" ? 23 : rng.int(12, 25);
    const street = s.name.endsWith("街道");
    const named: { name: string; surnames: string[]; demo: boolean }[] = (s.demo?.villages ?? []).map((v) => ({
      name: v.name,
      surnames: v.surnames,
      demo: true,
    }));
    while (named.length < nVillages) named.push({ ...villageName(rng, used, street), demo: false });
    const sizes = splitTotal(rng, targets.get(s.name)!, nVillages);
    return {
      name: s.name,
      code: s.code,
      villages: named.map((v, i) => ({ ...v, number: pad(i + 1, 3), households: sizes[i]!, groups: rng.int(4, 8) })),
    };
  });
}

// ─── Households ────────────────────────────────────────────────────────────

type Sex = "M" | "F";
type Relation =
  | "HEAD"
  | "SPOUSE"
  | "SON"
  | "DAUGHTER"
  | "SON_IN_LAW"
  | "DAUGHTER_IN_LAW"
  | "GRANDSON"
  | "GRANDDAUGHTER"
  | "FATHER"
  | "MOTHER";

interface MemberSpec {
  relation: Relation;
  sex: Sex;
  birthYear: number;
  surname: string;
  /** fixed name and birth date, for the DEMO_CHILD household */
  name?: string;
  birthDate?: string;
}

export interface GeneratedPerson {
  name: string;
  idNumber: string;
  birthDate: string;
  sex: Sex;
  relation: Relation;
  ableToWork: boolean;
  phone: string;
  joinedOn: string | null;
}

const SIZE_POOL = new Weighted([1, 2, 3, 4, 5, 6], [8, 17, 22, 25, 18, 10]);

/** Birth years of `n` children of parents born in `parents`: 20–35 years younger than each, born by AS_OF. */
function childYears(rng: Rng, parents: number[], n: number): number[] | null {
  const lo = Math.max(...parents) + 20;
  const hi = Math.min(Math.min(...parents) + 35, AS_OF_YEAR - 1);
  if (lo > hi) return null;
  const years = Array.from({ length: n }, () => rng.int(lo, hi));
  return years.sort((a, b) => a - b);
}

class Generator {
  readonly rng: Rng;
  private readonly ids = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly accounts = new Set<string>();

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  lineageSurname(v: { surnames: string[] }): string {
    return this.rng.chance(0.6) && v.surnames.length ? this.rng.pick(v.surnames) : SURNAME_POOL.pick(this.rng);
  }

  /** A woman married into the household: any surname, rarely her husband's. */
  outsideSurname(not: string): string {
    const s = SURNAME_POOL.pick(this.rng);
    return s === not ? SURNAME_POOL.pick(this.rng) : s;
  }

  /** Who lives in one household: ages consistent, children 20–35 years younger than their parents. */
  family(v: { surnames: string[] }): MemberSpec[] {
    const rng = this.rng;
    for (;;) {
      const size = SIZE_POOL.pick(rng);
      const out = this.tryFamily(v, size);
      if (out) return out;
    }
  }

  private tryFamily(v: { surnames: string[] }, size: number): MemberSpec[] | null {
    const rng = this.rng;
    const by = (age: number) => AS_OF_YEAR - 1 - age;
    const lineage = this.lineageSurname(v);

    if (size === 1) {
      const sex: Sex = rng.chance(0.55) ? "F" : "M";
      return [{ relation: "HEAD", sex, birthYear: by(rng.int(58, 90)), surname: sex === "M" ? lineage : this.outsideSurname(lineage) }];
    }

    const couple = (headAge: number): MemberSpec[] => {
      // Mostly the husband is the head; sometimes the wife (a daughter of the
      // village whose husband married in, 上门女婿).
      const hBy = by(headAge);
      const wBy = hBy + rng.int(-2, 5);
      if (rng.chance(0.93)) {
        return [
          { relation: "HEAD", sex: "M", birthYear: hBy, surname: lineage },
          { relation: "SPOUSE", sex: "F", birthYear: wBy, surname: this.outsideSurname(lineage) },
        ];
      }
      return [
        { relation: "HEAD", sex: "F", birthYear: wBy, surname: lineage },
        { relation: "SPOUSE", sex: "M", birthYear: hBy, surname: this.outsideSurname(lineage) },
      ];
    };
    const fatherSurname = (parents: MemberSpec[]) => parents.find((p) => p.sex === "M")?.surname ?? this.lineageSurname(v);
    const kids = (parents: MemberSpec[], n: number, rel: { M: Relation; F: Relation }): MemberSpec[] | null => {
      const years = childYears(rng, parents.map((p) => p.birthYear), n);
      if (!years) return null;
      const surname = fatherSurname(parents);
      return years.map((y) => {
        const sex: Sex = rng.chance(0.52) ? "M" : "F";
        return { relation: rel[sex], sex, birthYear: y, surname };
      });
    };
    const CHILD = { M: "SON", F: "DAUGHTER" } as const;
    const GRANDCHILD = { M: "GRANDSON", F: "GRANDDAUGHTER" } as const;

    if (size === 2) {
      const r = rng.next();
      if (r < 0.72) return couple(rng.int(50, 85));
      if (r < 0.87) return couple(rng.int(23, 34));
      // A widowed parent with one unmarried child.
      const sex: Sex = rng.chance(0.6) ? "F" : "M";
      const head: MemberSpec = { relation: "HEAD", sex, birthYear: by(rng.int(48, 85)), surname: sex === "M" ? lineage : this.outsideSurname(lineage) };
      const c = kids([head], 1, CHILD);
      if (!c) return null;
      if (sex === "F") c[0]!.surname = lineage;
      return [head, ...c];
    }

    const threeGenerations = size >= 4 && rng.chance(size === 4 ? 0.35 : 0.5);
    if (threeGenerations) {
      // Head and spouse, a married son (or a daughter with a son-in-law) and grandchildren.
      const elders = rng.chance(0.88) ? couple(rng.int(46, 75)) : [{ relation: "HEAD" as const, sex: "M" as Sex, birthYear: by(rng.int(48, 78)), surname: lineage }];
      const years = childYears(rng, elders.map((p) => p.birthYear), 1);
      if (!years || years[0]! > AS_OF_YEAR - 22) return null;
      const daughterStays = rng.chance(0.1);
      const childSex: Sex = daughterStays ? "F" : "M";
      const child: MemberSpec = { relation: CHILD[childSex], sex: childSex, birthYear: years[0]!, surname: fatherSurname(elders) };
      const partnerSex: Sex = daughterStays ? "M" : "F";
      const partner: MemberSpec = {
        relation: daughterStays ? "SON_IN_LAW" : "DAUGHTER_IN_LAW",
        sex: partnerSex,
        birthYear: Math.min(child.birthYear + (daughterStays ? rng.int(-4, 1) : rng.int(-1, 4)), AS_OF_YEAR - 21),
        surname: this.outsideSurname(child.surname),
      };
      const young = [child, partner];
      const left = size - elders.length - 2;
      const nGrand = Math.min(left, 3);
      const grand = nGrand > 0 ? kids(young, nGrand, GRANDCHILD) : [];
      if (!grand) return null;
      const out = [...elders, ...young, ...grand];
      if (left > nGrand) {
        // A younger unmarried child of the head.
        const extra = kids(elders, 1, CHILD);
        if (!extra || extra[0]!.birthYear <= child.birthYear) return null;
        out.splice(elders.length + 1, 0, ...extra);
      }
      return out;
    }

    // A nuclear family, sometimes with the head's parents.
    let nParents = size >= 4 && rng.chance(0.3) ? (size >= 5 && rng.chance(0.4) ? 2 : 1) : 0;
    let hasSpouse = rng.chance(0.93);
    let nKids = size - 1 - (hasSpouse ? 1 : 0) - nParents;
    if (nKids > 4) {
      hasSpouse = true;
      nParents = Math.min(2, size - 2 - 4);
      nKids = size - 2 - nParents;
    }
    const headAge = nParents ? rng.int(30, 56) : rng.int(28, 58);
    let core: MemberSpec[];
    if (hasSpouse) core = couple(headAge);
    else {
      const sex: Sex = rng.chance(0.6) ? "M" : "F";
      core = [{ relation: "HEAD", sex, birthYear: by(headAge), surname: sex === "M" ? lineage : this.outsideSurname(lineage) }];
    }
    const children = kids(core, nKids, CHILD);
    if (!children) return null;
    if (!hasSpouse && core[0]!.sex === "F") for (const c of children) c.surname = lineage;
    const out = [...core, ...children];
    if (nParents) {
      const head = core[0]!;
      const fBy = head.birthYear - rng.int(22, 35);
      const mBy = Math.min(fBy + rng.int(-2, 5), head.birthYear - 20);
      if (head.birthYear - mBy > 35 || AS_OF_YEAR - 1 - fBy > 95) return null;
      const father: MemberSpec = { relation: "FATHER", sex: "M", birthYear: fBy, surname: head.surname };
      const mother: MemberSpec = { relation: "MOTHER", sex: "F", birthYear: mBy, surname: this.outsideSurname(head.surname) };
      if (nParents === 2) out.push(father, mother);
      else out.push(rng.chance(0.6) ? mother : father);
    }
    return out;
  }

  givenName(sex: Sex, birthYear: number): string {
    return this.rng.pick(GIVEN[sex][eraOf(birthYear)]!);
  }

  idNumber(birthDate: string, sex: Sex): string {
    const birth = birthDate.replace(/-/g, "");
    for (;;) {
      // 001–999, odd for men and even for women
      const seq = sex === "M" ? this.rng.int(0, 499) * 2 + 1 : this.rng.int(1, 499) * 2;
      const id = makeIdNumber(COUNTY_CODE, birth, pad(seq, 3));
      if (!this.ids.has(id)) {
        this.ids.add(id);
        return id;
      }
    }
  }

  mobile(): string {
    for (;;) {
      const p = this.rng.pick(MOBILE_PREFIXES) + pad(this.rng.int(0, 99_999_999), 8);
      if (!this.phones.has(p)) {
        this.phones.add(p);
        return p;
      }
    }
  }

  /** A 19-digit 一卡通 card number: 6230, 14 digits and a Luhn check digit. */
  bankAccount(): string {
    for (;;) {
      const body = "6230" + pad(this.rng.int(0, 9_999_999), 7) + pad(this.rng.int(0, 9_999_999), 7);
      const acct = body + luhn(body);
      if (!this.accounts.has(acct)) {
        this.accounts.add(acct);
        return acct;
      }
    }
  }

  /** Turns specs into people: names (unique within the household), ID numbers, phones. */
  people(specs: MemberSpec[]): GeneratedPerson[] {
    const rng = this.rng;
    const names = new Set<string>();
    return specs.map((s) => {
      let name = s.name;
      while (!name || (names.has(name) && !s.name) || (!s.name && name === DEMO_CHILD.name)) name = s.surname + this.givenName(s.sex, s.birthYear);
      names.add(name);
      let birthDate = s.birthDate;
      if (!birthDate) {
        const m = rng.int(1, 12);
        birthDate = `${s.birthYear}-${pad(m, 2)}-${pad(rng.int(1, daysIn(s.birthYear, m)), 2)}`;
      }
      const age = AS_OF_YEAR - 1 - Number(birthDate.slice(0, 4));
      const ableToWork = age >= 16 && age <= 65 ? rng.chance(0.95) : age > 65 && age <= 70 ? rng.chance(0.25) : false;
      const phoneChance =
        s.relation === "HEAD" ? (age >= 80 ? 0.55 : 0.92) : age < 18 ? 0 : age >= 75 ? 0.1 : s.relation === "SPOUSE" ? 0.45 : 0.5;
      const phone = rng.chance(phoneChance) ? this.mobile() : "";
      return {
        name,
        idNumber: this.idNumber(birthDate, s.sex),
        birthDate,
        sex: s.sex,
        relation: s.relation,
        ableToWork,
        phone,
        // children born since the registry began joined the household at birth
        joinedOn: Number(birthDate.slice(0, 4)) >= 2015 ? birthDate : null,
      };
    });
  }
}

function luhn(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The fixed household that holds DEMO_CHILD. */
const DEMO_CHILD_FAMILY: MemberSpec[] = [
  { relation: "HEAD", sex: "M", birthYear: 1986, surname: "谢", name: DEMO_CHILD.headName, birthDate: "1986-03-14" },
  { relation: "SPOUSE", sex: "F", birthYear: 1988, surname: "鲁", name: "鲁晓燕", birthDate: "1988-07-22" },
  { relation: "DAUGHTER", sex: "F", birthYear: 2014, surname: "谢", name: DEMO_CHILD.name, birthDate: "2014-09-05" },
  { relation: "SON", sex: "M", birthYear: 2018, surname: "谢", name: "谢子豪", birthDate: "2018-05-11" },
  { relation: "FATHER", sex: "M", birthYear: 1958, surname: "谢", name: "谢德福", birthDate: "1958-11-02" },
  { relation: "MOTHER", sex: "F", birthYear: 1960, surname: "王", name: "王秀兰", birthDate: "1960-02-19" },
];
/** Its position (0-based) among 鲁谢庄村's households. */
const DEMO_CHILD_INDEX = 22;

interface StatusChange {
  status: "ORDINARY" | "ALLEVIATED" | "MONITORED";
  year: number | null;
  reason: string;
  effectiveOn: string;
  monitoringCategory?: string;
  riskTypes?: string;
}

/** "因病" → "ILLNESS": the risk type code of a demo reason. */
function riskTypeOf(reason: string): string {
  const codes: Record<string, string> = { 因病: "ILLNESS", 因残: "DISABILITY", 因学: "EDUCATION", 因灾: "DISASTER", 因意外事故: "ACCIDENT", 因产业项目失败: "INDUSTRY", 因务工就业不稳: "EMPLOYMENT" };
  return codes[reason] ?? "OTHER";
}

/** Current status and its history; the last change is the current status. */
function statusHistory(rng: Rng, people: GeneratedPerson[]): StatusChange[] {
  const ordinary: StatusChange = { status: "ORDINARY", year: null, reason: "", effectiveOn: "2014-01-01" };
  const head = people[0]!;
  const headAge = AS_OF_YEAR - 1 - Number(head.birthDate.slice(0, 4));
  const vulnerable = headAge >= 60 || people.length <= 2 || !people.some((p) => p.ableToWork);
  const r = rng.next();
  const pAlleviated = vulnerable ? 0.11 : 0.055;
  const pMonitored = vulnerable ? 0.042 : 0.02;
  if (r < pAlleviated) {
    const year = rng.int(2016, 2020);
    return [ordinary, { status: "ALLEVIATED", year, reason: "", effectiveOn: `${year}-12-31` }];
  }
  if (r < pAlleviated + pMonitored) {
    const year = rng.int(2022, 2025);
    const m = rng.int(1, 12);
    const on = `${year}-${pad(m, 2)}-${pad(rng.int(1, daysIn(year, m)), 2)}`;
    const monitored: StatusChange = { status: "MONITORED", year, reason: rng.pick(MONITOR_REASONS), effectiveOn: on };
    // The standard category and risk type (app/registry/monitoring.ts) follow from what was drawn, so the
    // random sequence, and with it every other demo record, stays as it was.
    monitored.riskTypes = riskTypeOf(monitored.reason);
    if (rng.chance(0.4)) {
      const y = rng.int(2016, 2020);
      monitored.monitoringCategory = "UNSTABLE";
      return [ordinary, { status: "ALLEVIATED", year: y, reason: "", effectiveOn: `${y}-12-31` }, monitored];
    }
    monitored.monitoringCategory = Number(on.slice(-2)) % 3 === 0 ? "SUDDEN" : "MARGINAL";
    return [ordinary, monitored];
  }
  return [ordinary];
}

// ─── Database ──────────────────────────────────────────────────────────────

/** Tables the seed fills; any row in them means the database is not empty. */
const SEEDED_TABLES = ["Household", "Township", "Cooperative", "User"] as const;

export function databaseFileFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL;
  if (url && url.startsWith("file:")) return url.slice("file:".length).replace(/\?.*$/, "");
  return "prisma/data.db";
}

/** Whether the seeded tables already hold rows (the seed then refuses to run without force). */
export function hasData(db: Database.Database): boolean {
  return SEEDED_TABLES.some((t) => db.prepare(`SELECT 1 FROM "${t}" LIMIT 1`).get() !== undefined);
}

/** Deletes every row of every application table and resets the id sequences. */
export function clearDatabase(db: Database.Database): void {
  const tables = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  const fk = db.pragma("foreign_keys", { simple: true });
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      for (const t of tables) db.exec(`DELETE FROM "${t}"`);
      const seq = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'`).get();
      if (seq) db.exec(`DELETE FROM sqlite_sequence`);
    })();
  } finally {
    db.pragma(`foreign_keys = ${fk ? "ON" : "OFF"}`);
  }
}

export interface SeedOptions {
  scale: SeedScale;
  log?: (s: string) => void;
  /** delete all rows first instead of refusing a non-empty database */
  force?: boolean;
}

export interface SeedResult {
  households: number;
  people: number;
  ms: number;
}

/**
 * Migrates `file` and fills it with demo (~1,500 households) or district
 * (~100,000 households) data. Refuses a database that already has data
 * unless `force`, which deletes every row first.
 */
export async function seedDatabase(file: string, opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const lap = (what: string) => log(`${what} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  applyMigrations(file);
  const db = new Database(file);
  try {
    if (hasData(db)) {
      if (!opts.force) throw new Error(`${file} already has data; pass --force to delete it and seed again`);
      clearDatabase(db);
      lap("cleared existing rows");
    }
    // Hash before the transaction: scrypt is async and deliberately slow.
    const hashes = await Promise.all(ACCOUNTS.map((a) => hashPassword(a.password)));

    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144"); // 256 MiB
    db.pragma("temp_store = MEMORY");
    const counts = db.transaction(() => load(db, opts.scale, hashes, lap))();
    db.pragma("synchronous = FULL");
    db.pragma("wal_checkpoint(TRUNCATE)");
    const ms = Math.round(performance.now() - t0);
    lap(`done: ${counts.households} households, ${counts.people} people`);
    return { ...counts, ms };
  } finally {
    db.close();
  }
}

function load(db: Database.Database, scale: SeedScale, hashes: string[], lap: (s: string) => void): { households: number; people: number } {
  const gen = new Generator(SEED);
  const rng = gen.rng;
  const plan = makePlan(scale, new Rng(SEED ^ 0x5eed));

  // Secondary indexes are dropped during the load and rebuilt once at the end
  // (a sort is much cheaper than millions of random B-tree inserts). DDL is
  // transactional in SQLite: if anything fails they come back on rollback.
  const bulkTables = ["Household", "Person", "HouseholdStatusChange", "HouseholdSearchTerm", "IncomeEntry", "WorkDay"];
  const indexes = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${bulkTables.map(() => "?").join(",")}) ORDER BY name`)
    .all(...bulkTables) as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX "${ix.name}"`);
  // The income figures' triggers (ADR 011) would mark every household-year
  // row by row; the table starts empty, so the audit computes every row on
  // first read (or `npm run income:figures` at once) without any mark.
  const figureTriggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'IncomeFigure%'`).all() as { name: string; sql: string }[];
  for (const t of figureTriggers) db.exec(`DROP TRIGGER "${t.name}"`);
  // Search rows are staged and copied over in key order, so the primary key
  // (which cannot be dropped) is built by appending.
  db.exec(`CREATE TEMP TABLE seed_terms (term TEXT NOT NULL, townshipId INTEGER NOT NULL, villageId INTEGER NOT NULL, householdId INTEGER NOT NULL)`);

  const insTownship = db.prepare(`INSERT INTO Township (id, code, name, countyCode, createdAt) VALUES (?, ?, ?, ?, ?)`);
  const insVillage = db.prepare(`INSERT INTO Village (id, code, parcelCode, name, townshipId) VALUES (?, ?, ?, ?, ?)`);
  const insGroup = db.prepare(`INSERT INTO VillagerGroup (id, villageId, number, name) VALUES (?, ?, ?, ?)`);
  const insHousehold = db.prepare(
    `INSERT INTO Household (id, code, townshipId, villageId, groupId, headName, address, phone, bankName, bankAccount, status, statusYear, statusReason, statusDate, createdAt, updatedAt, monitoringCategory, riskTypes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insPerson = db.prepare(
    `INSERT INTO Person (id, householdId, name, idNumber, birthDate, sex, relation, ableToWork, phone, joinedOn, leftOn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const insChange = db.prepare(
    `INSERT INTO HouseholdStatusChange (id, householdId, status, year, reason, effectiveOn, recordedById, recordedAt, monitoringCategory, riskTypes) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );
  const insTerm = db.prepare(`INSERT INTO temp.seed_terms (term, townshipId, villageId, householdId) VALUES (?, ?, ?, ?)`);
  const insCoop = db.prepare(
    `INSERT INTO Cooperative (id, name, creditCode, type, townshipId, legalRepresentative, phone, address, sharesPerMu, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '1', ?, ?)`,
  );
  const insCoopVillage = db.prepare(`INSERT INTO CooperativeVillage (cooperativeId, villageId) VALUES (?, ?)`);
  const insUser = db.prepare(
    `INSERT INTO User (id, username, displayName, passwordHash, role, townshipId, villageId, cooperativeId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const townshipIds = new Map<string, number>();
  const villageIds = new Map<string, number>();
  let townshipId = 0;
  let villageId = 0;
  let groupId = 0;
  let householdId = 0;
  let personId = 0;
  let changeId = 0;
  let terms = 0;

  for (const t of plan) {
    insTownship.run(++townshipId, t.code, t.name, COUNTY_CODE, AS_OF_STAMP);
    townshipIds.set(t.name, townshipId);
    for (const v of t.villages) {
      insVillage.run(++villageId, t.code.slice(0, 9) + v.number, v.number, v.name, townshipId);
      villageIds.set(v.name, villageId);
      // Groups hold contiguous runs of household numbers, as in the paper ledgers.
      const groupSizes = splitTotal(rng, v.households, v.groups);
      const groupIds: number[] = [];
      for (let g = 0; g < v.groups; g++) {
        insGroup.run(++groupId, villageId, pad(g + 1, 2), GROUP_NAMES[g]!);
        groupIds.push(groupId);
      }
      let g = 0;
      let leftInGroup = groupSizes[0]!;
      for (let i = 0; i < v.households; i++) {
        while (leftInGroup === 0) leftInGroup = groupSizes[++g]!;
        leftInGroup--;
        const specs = v.name === DEMO_CHILD.villageName && i === DEMO_CHILD_INDEX ? DEMO_CHILD_FAMILY : gen.family(v);
        const people = gen.people(specs);
        const head = people[0]!;
        const history = specs === DEMO_CHILD_FAMILY ? [{ status: "ORDINARY", year: null, reason: "", effectiveOn: "2014-01-01" } as StatusChange] : statusHistory(rng, people);
        const current = history[history.length - 1]!;
        const code = pad(i + 1, 4);
        const phone = head.phone;
        insHousehold.run(
          ++householdId,
          code,
          townshipId,
          villageId,
          groupIds[g]!,
          head.name,
          `${t.name}${v.name}${i + 1}号`,
          phone,
          BANK_NAME,
          gen.bankAccount(),
          current.status,
          current.year,
          current.reason,
          stamp(current.effectiveOn),
          AS_OF_STAMP,
          AS_OF_STAMP,
          current.monitoringCategory ?? null,
          current.riskTypes ?? "",
        );
        for (const p of people) {
          insPerson.run(++personId, householdId, p.name, p.idNumber, p.birthDate, p.sex, p.relation, p.ableToWork ? 1 : 0, p.phone, p.joinedOn);
        }
        for (const c of history) insChange.run(++changeId, householdId, c.status, c.year, c.reason, stamp(c.effectiveOn), stamp(c.effectiveOn), c.monitoringCategory ?? null, c.riskTypes ?? "");
        for (const term of householdTerms({ phone, members: people })) {
          insTerm.run(term, townshipId, villageId, householdId);
          terms++;
        }
      }
    }
  }
  lap(`generated ${householdId} households, ${personId} people, ${terms} search terms`);

  db.exec(
    `INSERT OR IGNORE INTO HouseholdSearchTerm (term, townshipId, villageId, householdId)
     SELECT term, townshipId, villageId, householdId FROM temp.seed_terms ORDER BY term, townshipId, villageId, householdId`,
  );
  db.exec(`DROP TABLE temp.seed_terms`);
  lap("search index");
  for (const ix of indexes) db.exec(ix.sql);
  lap(`rebuilt ${indexes.length} indexes`);

  // Cooperatives: the demo ones, and at district scale one more per other township.
  const coopRng = new Rng(SEED ^ 0xc0de);
  const coops: DemoCooperative[] = [...DEMO_COOPERATIVES];
  if (scale === "district") {
    const products = ["牡丹种植", "芍药种植", "黄桃种植", "梨种植", "山楂种植", "海棠苗木", "蔬菜种植", "农机服务", "小麦种植"];
    for (const t of plan) {
      if (DEMO_TOWNSHIPS.some((d) => d.name === t.name)) continue;
      const land = coopRng.chance(0.4);
      const first = t.villages[coopRng.int(0, t.villages.length - 1)]!;
      const served = [first.name];
      if (!land && coopRng.chance(0.5)) {
        const second = t.villages[coopRng.int(0, t.villages.length - 1)]!;
        if (second !== first) served.push(second.name);
      }
      const short = first.name.replace(/(村|社区)$/, "");
      coops.push({
        name: land ? `${t.name}${short}土地股份合作社` : `牡丹区${short}${coopRng.pick(products)}专业合作社`,
        type: land ? "LAND_SHARE" : "PROFESSIONAL",
        township: t.name,
        villages: served,
        legalRepresentative: coopRng.pick(first.surnames) + coopRng.pick(GIVEN.M[1]!),
      });
    }
  }
  const coopIds = new Map<string, number>();
  const codes = new Set<string>();
  const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  let coopId = 0;
  for (const c of coops) {
    let code: string;
    do {
      let org = "MA";
      for (let k = 0; k < 7; k++) org += ALPHABET[coopRng.int(0, ALPHABET.length - 1)];
      code = makeCreditCode(`93${COUNTY_CODE}${org}`);
    } while (codes.has(code));
    codes.add(code);
    const phone = MOBILE_PREFIXES[coopRng.int(0, MOBILE_PREFIXES.length - 1)]! + pad(coopRng.int(0, 99_999_999), 8);
    insCoop.run(++coopId, c.name, code, c.type, townshipIds.get(c.township)!, c.legalRepresentative, phone, `${c.township}${c.villages[0]}`, AS_OF_STAMP, AS_OF_STAMP);
    coopIds.set(c.name, coopId);
    for (const v of c.villages) insCoopVillage.run(coopId, villageIds.get(v)!);
  }

  ACCOUNTS.forEach((a, i) => {
    const scope = (map: Map<string, number>, name: string | undefined) => {
      if (name === undefined) return null;
      const id = map.get(name);
      if (id === undefined) throw new Error(`demo account ${a.username}: unknown scope ${name}`);
      return id;
    };
    insUser.run(
      i + 1,
      a.username,
      a.displayName,
      hashes[i]!,
      a.role,
      scope(townshipIds, a.township),
      scope(villageIds, a.village),
      scope(coopIds, a.cooperative),
      AS_OF_STAMP,
      AS_OF_STAMP,
    );
  });
  lap(`${coops.length} cooperatives, ${DEMO_ACCOUNTS.length} users`);
  const land = seedLand(db, { scale, seed: SEED });
  lap(`${land.plots} contracted plots, ${land.contracts} contracts, ${land.installments} installments, ${land.payments} payments`);
  const orchards = seedOrchardPlots(db, { scale });
  lap(`${orchards.plots} orchard plots`);
  const harvests = seedHarvests(db, { scale, seed: SEED });
  lap(`${harvests.harvests} harvests`);
  const income = seedIncome(db, { scale, seed: SEED, stamp: AS_OF_STAMP });
  lap(`${income.entries} income entries, ${income.workDays} work-day records, ${income.lines} demo monitoring lines`);
  for (const t of figureTriggers) db.exec(t.sql);
  return { households: householdId, people: personId };
}
