import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHARTS, standardParents, type AccountingSystem } from "./chart";
import { balanceSheet, distributionOf, equityStatement, incomeStatement, uncoveredCodes, type BalanceRow, type ClosingFlows } from "./statements";

const SYSTEMS: AccountingSystem[] = ["COOP_2021", "COLLECTIVE_2023"];

interface Account {
  code: string;
  normalSide: string;
}

/** The leaf accounts of a chart, with two member sub-accounts under each per-member account. */
function leafAccounts(system: AccountingSystem): Account[] {
  const parents = standardParents(system);
  const out: Account[] = [];
  for (const a of CHARTS[system]) {
    if (parents.has(a.code)) continue;
    if (a.perMember) for (const n of ["0001", "0002"]) out.push({ code: `${a.code}-${n}`, normalSide: a.normalSide });
    else out.push({ code: a.code, normalSide: a.normalSide });
  }
  return out;
}

interface Posting {
  code: string;
  debitFen: bigint;
  creditFen: bigint;
}

/** Trial-balance rows from what was booked before the year (opening) and in it. */
function rowsOf(accounts: Account[], before: Posting[], during: Posting[]): BalanceRow[] {
  return accounts.map((a) => {
    const net = (ps: Posting[]) => ps.filter((p) => p.code === a.code).reduce((s, p) => s + p.debitFen - p.creditFen, 0n);
    const flows = during.filter((p) => p.code === a.code);
    const debitFen = flows.reduce((s, p) => s + p.debitFen, 0n);
    const creditFen = flows.reduce((s, p) => s + p.creditFen, 0n);
    const sign = a.normalSide === "CREDIT" ? -1n : 1n;
    const open = net(before);
    return { code: a.code, isLeaf: true, normalSide: a.normalSide, openingFen: sign * open, debitFen, creditFen, closingFen: sign * (open + debitFen - creditFen) };
  });
}

/** A balanced voucher: random debits and credits over random accounts, red ink (negative) now and then. */
const voucher = (accounts: Account[]) =>
  fc
    .record({
      debits: fc.array(fc.record({ i: fc.nat(accounts.length - 1), fen: fc.bigInt(1n, 10_000_000n) }), { minLength: 1, maxLength: 3 }),
      creditTo: fc.array(fc.nat(accounts.length - 1), { minLength: 1, maxLength: 3 }),
      red: fc.boolean(),
    })
    .map(({ debits, creditTo, red }) => {
      const s = red ? -1n : 1n;
      const total = debits.reduce((t, x) => t + x.fen, 0n);
      const lines: Posting[] = debits.map((x) => ({ code: accounts[x.i]!.code, debitFen: s * x.fen, creditFen: 0n }));
      // split the total over the credit accounts, the last one taking the rest
      let left = total;
      creditTo.forEach((i, k) => {
        const part = k === creditTo.length - 1 ? left : left / BigInt(creditTo.length);
        left -= part;
        lines.push({ code: accounts[i]!.code, debitFen: 0n, creditFen: s * part });
      });
      return lines;
    });

describe("statements", () => {
  for (const system of SYSTEMS) {
    const accounts = leafAccounts(system);

    it(`${system}: every leaf account of the chart lies in exactly one balance-sheet line`, () => {
      expect(uncoveredCodes(system, accounts.map((a) => a.code))).toEqual([]);
    });

    it(`${system}: the balance sheet balances at the start and the end of the year after any vouchers`, () => {
      fc.assert(
        fc.property(fc.array(voucher(accounts), { maxLength: 12 }), fc.array(voucher(accounts), { maxLength: 12 }), (before, during) => {
          const rows = rowsOf(accounts, before.flat(), during.flat());
          const bs = balanceSheet(system, rows);
          expect(bs.balances).toEqual({ opening: true, closing: true });
          expect(bs.closing.assetsTotal).toBe(bs.closing.claimsTotal);
          // the income statement ends where the balance sheet's 未分配 line stands
          const is = incomeStatement(system, rows);
          expect(is.amounts.closing).toBe(bs.closing.undistributed);
          expect(is.amounts.opening).toBe(bs.opening.undistributed);
        }),
        { numRuns: 150 },
      );
    });

    it(`${system}: the year-end carrying forward changes no figure of the statements`, () => {
      fc.assert(
        fc.property(fc.array(voucher(accounts), { minLength: 1, maxLength: 10 }), (during) => {
          const flows = during.flat();
          const plain = rowsOf(accounts, [], flows);
          // carry every profit and loss account into 本年盈余 / 本年收益, then that into 未分配
          const current = system === "COOP_2021" ? "331" : "321";
          const undistributedCode = system === "COOP_2021" ? "33202" : "32202";
          const carry: Posting[] = [];
          let net = 0n;
          for (const r of plain) {
            if (!r.code.startsWith("5")) continue;
            const bal = r.normalSide === "CREDIT" ? -r.closingFen : r.closingFen; // debit positive
            if (bal === 0n) continue;
            carry.push(bal > 0n ? { code: r.code, debitFen: 0n, creditFen: bal } : { code: r.code, debitFen: -bal, creditFen: 0n });
            net += bal;
          }
          carry.push(net > 0n ? { code: current, debitFen: net, creditFen: 0n } : { code: current, debitFen: 0n, creditFen: -net });
          carry.push(net > 0n ? { code: current, debitFen: 0n, creditFen: net } : { code: current, debitFen: -net, creditFen: 0n });
          carry.push(net > 0n ? { code: undistributedCode, debitFen: net, creditFen: 0n } : { code: undistributedCode, debitFen: 0n, creditFen: -net });
          const closing: ClosingFlows = new Map(
            accounts.map((a) => {
              const ps = carry.filter((p) => p.code === a.code);
              return [a.code, { debitFen: ps.reduce((s, p) => s + p.debitFen, 0n), creditFen: ps.reduce((s, p) => s + p.creditFen, 0n) }];
            }),
          );
          const carried = rowsOf(accounts, [], [...flows, ...carry]);
          expect(incomeStatement(system, carried, { closing }).amounts).toEqual(incomeStatement(system, plain).amounts);
          expect(balanceSheet(system, carried).closing).toEqual(balanceSheet(system, plain).closing);
          if (system === "COOP_2021") expect(equityStatement(carried, { closing })).toEqual(equityStatement(plain));
        }),
        { numRuns: 100 },
      );
    });
  }

  it("reads a dividend run's set-asides and distribution from the detail accounts of 盈余分配", () => {
    const accounts = leafAccounts("COOP_2021");
    const v: Posting[] = [
      // harvest sold: 10,000.00
      { code: "102", debitFen: 1_000_000n, creditFen: 0n },
      { code: "501", debitFen: 0n, creditFen: 1_000_000n },
      // the run: 公积金 500.00, 风险金 300.00, returned to two members 9,200.00
      { code: "3320101", debitFen: 50_000n, creditFen: 0n },
      { code: "32201", debitFen: 0n, creditFen: 50_000n },
      { code: "3320102", debitFen: 30_000n, creditFen: 0n },
      { code: "32202", debitFen: 0n, creditFen: 30_000n },
      { code: "3320104", debitFen: 920_000n, creditFen: 0n },
      { code: "222-0001", debitFen: 0n, creditFen: 500_000n },
      { code: "222-0002", debitFen: 0n, creditFen: 420_000n },
      // one member paid
      { code: "222-0001", debitFen: 500_000n, creditFen: 0n },
      { code: "102", debitFen: 0n, creditFen: 500_000n },
    ];
    const rows = rowsOf(accounts, [], v);
    const is = incomeStatement("COOP_2021", rows);
    expect(distributionOf("COOP_2021", is)).toEqual({ reserveFen: 80_000n, membersFen: 920_000n });
    expect(is.amounts.net).toBe("1000000");
    expect(is.amounts.closing).toBe("0");
    const bs = balanceSheet("COOP_2021", rows);
    expect(bs.closing.cash).toBe("500000");
    expect(bs.closing.residual).toBe("420000");
    expect(bs.closing.surplusReserve).toBe("80000");
    expect(bs.balances.closing).toBe(true);
    const eq = equityStatement(rows);
    const closingRow = eq.rows.find((r) => r.key === "closing")!;
    expect(closingRow.cells.surplusReserve).toBe("80000");
    expect(closingRow.cells.total).toBe(bs.closing.equityTotal);
  });

  it("splits 成员往来 between receivables and payables by each member's balance", () => {
    const accounts = leafAccounts("COOP_2021");
    const rows = rowsOf(accounts, [], [
      { code: "114-0001", debitFen: 30_000n, creditFen: 0n },
      { code: "114-0002", debitFen: 0n, creditFen: 10_000n },
      { code: "101", debitFen: 0n, creditFen: 20_000n },
    ]);
    const bs = balanceSheet("COOP_2021", rows);
    expect(bs.closing.receivables).toBe("30000");
    expect(bs.closing.payables).toBe("10000");
    expect(bs.balances.closing).toBe(true);
  });

  it("leaves out lines whose accounts the chart does not have, and numbers the rest in order", () => {
    const codes = CHARTS.COOP_2021.map((a) => a.code);
    const bs = balanceSheet("COOP_2021", [], { chartCodes: codes });
    const rows = [...bs.assets, ...bs.claims].filter((l) => l.row !== null).map((l) => l.row);
    expect(rows).toEqual(rows.map((_, i) => i + 1));
    const is = incomeStatement("COOP_2021", [], { chartCodes: codes });
    expect(is.lines.some((l) => l.key === "finance")).toBe(codes.includes("524"));
    expect(is.lines.some((l) => l.key === "incomeTax")).toBe(codes.includes("531"));
  });
});
