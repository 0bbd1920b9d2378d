/**
 * Deterministic contracted plots, transfer contracts, rent schedules and
 * payments for the demo and district data sets. Runs inside the seed's
 * transaction on an already loaded registry; schedules come from the real
 * generateSchedule(), so the demo books are what the app itself would write.
 */
import type Database from "better-sqlite3";
import { generateSchedule, type ScheduleInput } from "../../app/contracts/schedule";
import { makeIdNumber } from "../../app/registry/id-number";
import { Rng } from "./rng";

/** Payments in the demo data stop here, so the data never depends on the day it is made. */
export const PAID_THROUGH = "2026-10-31";

/**
 * Wheat minimum purchase prices (yuan per jin) announced by the National
 * Development and Reform Commission for each year's crop; 2026 is left for
 * an official to enter, as it would be in practice.
 */
export const WHEAT_MINIMUM_PRICES: Record<number, string> = {
  2019: "1.12",
  2020: "1.12",
  2021: "1.13",
  2022: "1.15",
  2023: "1.17",
  2024: "1.18",
  2025: "1.19",
};
const PRICE_SOURCE = "国家发展改革委公布的当年小麦最低收购价（每50公斤价格折算为元/斤）";

const PLOT_NAMES = ["村东地", "村西地", "南洼地", "北岗地", "大路沟", "河滩地", "老坟东", "机井旁", "东大片", "西大片", "桃园地", "梨园边"];
const CLASSES = ["水浇地", "旱地", "水浇地", "水浇地"];
const GRADES = ["一等", "二等", "二等", "三等"];
const GROWER_SURNAMES = ["王", "李", "张", "刘", "赵", "孙"];
const GROWER_GIVEN = ["建设", "卫东", "志强", "国庆", "红军", "海涛", "明亮", "保国"];
const STAMP = "2026-01-01T00:00:00.000+00:00";

export interface LandCounts {
  plots: number;
  contracts: number;
  installments: number;
  payments: number;
}

export function seedLand(db: Database.Database, opts: { scale: "demo" | "district"; seed: number }): LandCounts {
  const rng = new Rng(opts.seed ^ 0x1a4d);
  const townships = db.prepare(`SELECT id, code, name FROM Township ORDER BY id`).all() as { id: number; code: string; name: string }[];
  const villages = db.prepare(`SELECT id, townshipId, parcelCode, name FROM Village ORDER BY id`).all() as { id: number; townshipId: number; parcelCode: string; name: string }[];
  const groups = new Map((db.prepare(`SELECT id, number FROM VillagerGroup`).all() as { id: number; number: string }[]).map((g) => [g.id, g.number]));
  const coops = db.prepare(`SELECT c.id, c.type, cv.villageId FROM Cooperative c JOIN CooperativeVillage cv ON cv.cooperativeId = c.id ORDER BY c.id`).all() as { id: number; type: string; villageId: number }[];
  const households = db.prepare(`SELECT id, villageId, groupId, bankAccount, headName FROM Household ORDER BY villageId, id`).all() as { id: number; villageId: number; groupId: number; bankAccount: string; headName: string }[];
  const tcode = new Map(townships.map((t) => [t.id, t]));

  const insPrice = db.prepare(`INSERT INTO ReferencePrice (townshipId, crop, year, basis, price, source, recordedById, createdAt) VALUES (?, 'WHEAT', ?, 'MINIMUM_PURCHASE', ?, ?, 1, ?)`);
  for (const t of townships) for (const [y, p] of Object.entries(WHEAT_MINIMUM_PRICES)) insPrice.run(t.id, Number(y), p, PRICE_SOURCE, STAMP);

  const insPlot = db.prepare(
    `INSERT INTO ContractedPlot (id, townshipId, villageId, groupId, householdId, parcelCode, name, category, contractArea, measuredArea, landClass, grade, basicFarmland, east, south, west, north, contractEnd, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insContract = db.prepare(
    `INSERT INTO TransferContract (id, townshipId, villageId, draftNo, contractNo, transfereeKind, cooperativeId, transfereeName, transfereeEntityType, transfereeCode, transfereeRep, transfereeAddress, transfereePhone, reviewApprovalNo, reviewDate, form, use, useNote, startDate, endDate, rentKind, rentPerMu, inKindCrop, inKindJinPerMu, priceBasis, stepPercent, stepEveryYears, paymentTiming, paymentMonthDay, instalmentsPerYear, riskDepositFen, penaltyPerTenThousand, status, signedDate, filedDate, filedById, terminatedOn, terminationReason, createdById, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insParty = db.prepare(`INSERT INTO ContractParty (contractId, householdId, entrustmentNo, entrustmentDate, receivingAccount) VALUES (?, ?, ?, ?, ?)`);
  const insLine = db.prepare(`INSERT INTO ContractPlot (contractId, plotId, householdId, area) VALUES (?, ?, ?, ?)`);
  const insInst = db.prepare(
    `INSERT INTO RentInstallment (id, contractId, householdId, townshipId, villageId, seq, periodStart, periodEnd, dueDate, area, rateNote, amountFen, paidFen, cancelledAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const insPay = db.prepare(
    `INSERT INTO RentPayment (installmentId, contractId, householdId, townshipId, villageId, paidOn, amountFen, method, receiptNo, account, recordedById, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 3, ?)`,
  );

  let plotId = 0;
  let contractId = 0;
  let installmentId = 0;
  let payments = 0;
  const seqByVillage = new Map<number, number>();
  const seqByTownshipYear = new Map<string, number>();
  // Share of households whose land goes into contracts: enough for realistic
  // ledgers in the demo, and about 8,000 contracts at district scale.
  const shareInContracts = opts.scale === "demo" ? 0.3 : 0.24;

  const byVillage = new Map<number, typeof households>();
  for (const h of households) byVillage.set(h.villageId, [...(byVillage.get(h.villageId) ?? []), h]);

  for (const v of villages) {
    const t = tcode.get(v.townshipId)!;
    const prefix = t.code.slice(0, 9) + v.parcelCode;
    const parcelSeq = new Map<number, number>();
    const plots: { id: number; householdId: number; area: number; basic: boolean; end: string }[] = [];
    for (const h of byVillage.get(v.id) ?? []) {
      const n = rng.int(1, 4);
      for (let k = 0; k < n; k++) {
        const seq = (parcelSeq.get(h.groupId) ?? 0) + 1;
        parcelSeq.set(h.groupId, seq);
        const code = prefix + groups.get(h.groupId)! + String(seq).padStart(5, "0");
        const hundredths = rng.int(60, 600); // 0.60–6.00 mu
        const area = (hundredths / 100).toFixed(2);
        const measured = rng.chance(0.7) ? ((hundredths + rng.int(-15, 15)) / 100).toFixed(2) : null;
        const basic = rng.chance(0.4);
        const end = rng.chance(0.9) ? "2057-12-31" : "2028-12-31";
        insPlot.run(++plotId, v.townshipId, v.id, h.groupId, h.id, code, rng.pick(PLOT_NAMES), "CONTRACTED", area, measured, rng.pick(CLASSES), rng.pick(GRADES), basic ? 1 : 0, `${rng.pick(["路", "沟", "邻地"])}`, `${rng.pick(["渠", "路", "邻地"])}`, `${rng.pick(["沟", "路", "邻地"])}`, `${rng.pick(["路", "林带", "邻地"])}`, end, STAMP, STAMP);
        plots.push({ id: plotId, householdId: h.id, area: hundredths, basic, end });
      }
    }

    // Contracts: consecutive households of the village pool their plots.
    // The first five households of each village keep their land free, so that
    // the demo (and the browser tests) can draw up a new contract at once.
    const vh = (byVillage.get(v.id) ?? []).slice(5).filter(() => rng.chance(shareInContracts));
    const villageCoops = coops.filter((c) => c.villageId === v.id);
    for (let i = 0; i < vh.length; ) {
      const size = Math.min(rng.int(1, 5), vh.length - i);
      const members = vh.slice(i, i + size);
      i += size;
      const kind = villageCoops.length && rng.chance(0.7) ? "COOPERATIVE" : rng.chance(0.8) ? "GROWER" : "ENTERPRISE";
      const coop = kind === "COOPERATIVE" ? rng.pick(villageCoops) : null;
      const use = coop?.type === "PROFESSIONAL" ? rng.pick(["ORCHARD", "ORCHARD", "NURSERY"]) : rng.pick(["GRAIN", "ORCHARD", "NURSERY", "VEGETABLE"]);
      const lines = plots.filter((p) => members.some((m) => m.id === p.householdId) && !(p.basic && use === "ORCHARD"));
      if (!lines.length) continue;
      const year = rng.int(2019, 2025);
      const month = rng.int(1, 10);
      const start = `${year}-${String(month).padStart(2, "0")}-01`;
      const term = rng.pick([5, 10, 10, 15]);
      let end = `${year + term}-${String(month).padStart(2, "0")}-01`;
      end = new Date(Date.parse(end) - 86_400_000).toISOString().slice(0, 10);
      const minPlotEnd = lines.reduce((m, p) => (p.end < m ? p.end : m), "9999-12-31");
      if (end > minPlotEnd) end = minPlotEnd;
      if (end <= start) continue;
      const inKind = rng.chance(0.15);
      const rentPerMu = inKind ? null : rng.pick(["600.00", "800.00", "900.00", "1000.00", "1200.00"]);
      const timing = rng.chance(0.6) ? "YEARLY" : rng.chance(0.75) ? "ADVANCE" : "INSTALMENTS";
      const step = rng.chance(0.3) ? { percent: "5.00", everyYears: 3 } : null;
      const statusRoll = rng.next();
      const status = statusRoll < 0.8 ? "FILED" : statusRoll < 0.9 ? "SIGNED" : statusRoll < 0.95 ? "TERMINATED" : "DRAFT";
      const id = ++contractId;
      const vseq = (seqByVillage.get(v.id) ?? 0) + 1;
      seqByVillage.set(v.id, vseq);
      const draftNo = `D${v.id}-${year}-${String(vseq).padStart(4, "0")}`;
      let contractNo: string | null = null;
      if (status === "FILED" || status === "TERMINATED") {
        const key = `${t.id}:${year}`;
        const n = (seqByTownshipYear.get(key) ?? 0) + 1;
        seqByTownshipYear.set(key, n);
        contractNo = `牡丹${t.name.replace(/镇|街道/, "")}流转〔${year}〕${String(n).padStart(3, "0")}号`;
      }
      const grower = kind !== "COOPERATIVE" ? rng.pick(GROWER_SURNAMES) + rng.pick(GROWER_GIVEN) : null;
      const transfereeCode = kind === "GROWER" ? makeIdNumber("371702", `19${rng.int(65, 89)}0${rng.int(1, 9)}1${rng.int(0, 9)}`, String(rng.int(100, 998))) : kind === "ENTERPRISE" ? "91371702MA3C5XYK8A" : "";
      const terminatedOn = status === "TERMINATED" ? new Date(Date.parse(start) + rng.int(400, 1200) * 86_400_000).toISOString().slice(0, 10) : null;
      const signed = status === "DRAFT" ? null : new Date(Date.parse(start) - rng.int(5, 40) * 86_400_000).toISOString().slice(0, 10);
      const filed = contractNo && signed ? new Date(Date.parse(signed) + rng.int(3, 30) * 86_400_000).toISOString().slice(0, 10) : null;
      insContract.run(
        id, v.townshipId, v.id, draftNo, contractNo, kind, coop?.id ?? null,
        coop ? "" : kind === "ENTERPRISE" ? `菏泽${grower}农业科技有限公司` : grower!, kind === "ENTERPRISE" ? "有限责任公司" : kind === "GROWER" ? "自然人" : "",
        kind === "ENTERPRISE" ? validCreditCode(rng) : transfereeCode, grower ?? "", coop ? "" : `${t.name}${v.name}`, "",
        kind === "ENTERPRISE" ? `牡农审〔${year}〕${rng.int(1, 40)}号` : "", kind === "ENTERPRISE" ? start : null,
        coop?.type === "LAND_SHARE" ? "EQUITY" : kind === "GROWER" && rng.chance(0.3) ? "SUBCONTRACT" : "LEASE",
        use, use === "ORCHARD" ? rng.pick(["黄桃", "梨", "山楂", "海棠"]) : "",
        start, end, inKind ? "IN_KIND" : "CASH", rentPerMu, inKind ? "WHEAT" : null, inKind ? rng.pick(["900.00", "950.00", "1000.00"]) : null, inKind ? "MINIMUM_PURCHASE" : null,
        step?.percent ?? null, step?.everyYears ?? null, timing, timing === "YEARLY" ? "12-31" : null, timing === "INSTALMENTS" ? 2 : null,
        rng.chance(0.3) ? BigInt(rng.int(1, 5) * 100000) : null, "5", status, signed, filed, filed ? 2 : null, terminatedOn,
        terminatedOn ? rng.pick(["MUTUAL_AGREEMENT", "TRANSFEREE_BREACH"]) : "", 3, STAMP, STAMP,
      );
      const partyArea = new Map<number, number>();
      for (const l of lines) {
        insLine.run(id, l.id, l.householdId, (l.area / 100).toFixed(2));
        partyArea.set(l.householdId, (partyArea.get(l.householdId) ?? 0) + l.area);
      }
      for (const m of members) if (partyArea.has(m.id)) insParty.run(id, m.id, size > 2 ? `委字〔${year}〕${vseq}-${m.id}` : "", size > 2 ? signed : null, m.bankAccount);
      if (status === "DRAFT") continue;

      const input: ScheduleInput = {
        startDate: start,
        endDate: end,
        rent: inKind ? { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950.00", prices: WHEAT_MINIMUM_PRICES } : { kind: "CASH", yuanPerMu: rentPerMu! },
        step,
        payment: timing === "YEARLY" ? { timing: "YEARLY", monthDay: "12-31" } : timing === "INSTALMENTS" ? { timing: "INSTALMENTS", perYear: 2 } : { timing: "ADVANCE" },
        terminatedOn,
        parties: [...partyArea.entries()].map(([householdId, a]) => ({ householdId, areaMu: (a / 100).toFixed(2) })),
      };
      // The in-kind jin figure above must match what was stored.
      if (inKind) db.prepare(`UPDATE TransferContract SET inKindJinPerMu = '950.00' WHERE id = ?`).run(id);
      const schedule = generateSchedule(input);
      // An equity share (入股) earns the cooperative's dividend, never rent: no installments or
      // payments are written, but the random draws are kept so the rest of the demo stays the same.
      const equity = coop?.type === "LAND_SHARE";
      for (const inst of schedule.installments) {
        if (equity) {
          if (inst.amountFen !== null && inst.dueDate <= PAID_THROUGH) {
            const roll = rng.next();
            const paid = roll < 0.8 ? inst.amountFen : roll < 0.9 ? (inst.amountFen / 2n / 100n) * 100n : 0n;
            if (paid > 0n) {
              rng.int(-20, 25);
              rng.chance(0.85);
            }
          }
          continue;
        }
        const iid = ++installmentId;
        let paid = 0n;
        let inserted = false;
        if (inst.amountFen !== null && inst.dueDate <= PAID_THROUGH) {
          // Most rent is paid on time; some late, some in part, some not at all.
          const roll = rng.next();
          if (roll < 0.8) paid = inst.amountFen;
          else if (roll < 0.9) paid = (inst.amountFen / 2n / 100n) * 100n;
          insInst.run(iid, id, inst.householdId, v.townshipId, v.id, inst.seq, inst.periodStart, inst.periodEnd, inst.dueDate, inst.areaMu, inst.rateNote, inst.amountFen, paid);
          inserted = true;
          if (paid > 0n) {
            const paidOn = new Date(Date.parse(inst.dueDate) + rng.int(-20, 25) * 86_400_000).toISOString().slice(0, 10);
            insPay.run(iid, id, inst.householdId, v.townshipId, v.id, paidOn < PAID_THROUGH ? paidOn : PAID_THROUGH, paid, rng.chance(0.85) ? "BANK" : "CASH", `SK${year}${String(iid).padStart(7, "0")}`, "", STAMP);
            payments++;
          }
        }
        if (!inserted) insInst.run(iid, id, inst.householdId, v.townshipId, v.id, inst.seq, inst.periodStart, inst.periodEnd, inst.dueDate, inst.areaMu, inst.rateNote, inst.amountFen, paid);
      }
    }
  }
  return { plots: plotId, contracts: contractId, installments: installmentId, payments };
}

function validCreditCode(rng: Rng): string {
  const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = "91371702MA";
  for (let k = 0; k < 7; k++) body += ALPHABET[rng.int(0, 30)];
  const sum = [...body].reduce((s, ch, i) => s + ALPHABET.indexOf(ch) * WEIGHTS[i]!, 0);
  return body + ALPHABET[(31 - (sum % 31)) % 31];
}
