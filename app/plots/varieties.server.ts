/**
 * The stored colour of each variety (CropVariety): given once, the first
 * time a plot of that crop and variety is saved or imported, inside the
 * save's own transaction, so that it never changes afterwards (adding
 * another variety leaves every existing colour as it was).
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "~/lib/db.server";
import { cropColour, nextVarietyColour } from "./colours";
import { colourKey } from "./map-data";

type Tx = Prisma.TransactionClient;

/**
 * Gives every (crop, variety) not seen before the next unused colour of its
 * crop's palette. Call inside the write transaction that saves the plots:
 * transactions are serialised (SQLite's write lock, PostgreSQL's advisory
 * lock), so two saves never hand out the same "next" colour.
 */
export async function ensureVarieties(tx: Tx, items: readonly { crop: string; variety: string }[]): Promise<void> {
  const byCrop = new Map<string, Set<string>>();
  for (const i of items) {
    const name = i.variety.trim();
    if (!name) continue;
    byCrop.set(i.crop, (byCrop.get(i.crop) ?? new Set()).add(name));
  }
  for (const [crop, names] of byCrop) {
    const existing = await tx.cropVariety.findMany({ where: { crop }, orderBy: { id: "asc" }, select: { name: true, colour: true } });
    const known = new Set(existing.map((e) => e.name));
    const taken = existing.map((e) => e.colour);
    // In code-point order, so that one file's new varieties get the same colours whichever row comes first.
    for (const name of [...names].filter((n) => !known.has(n)).sort()) {
      const colour = nextVarietyColour(crop, taken);
      await tx.cropVariety.create({ data: { crop, name, colour } });
      taken.push(colour);
    }
  }
}

/**
 * Colours for map colour keys ("CROP" or "CROP|variety"). Varieties saved
 * before colours were stored (or written around the app, as the demo seed
 * does) get theirs here, once.
 */
export async function coloursForKeys(keys: readonly string[]): Promise<string[]> {
  const wanted = keys.flatMap((k) => {
    const bar = k.indexOf("|");
    return bar < 0 ? [] : [{ crop: k.slice(0, bar), variety: k.slice(bar + 1) }];
  });
  let rows = wanted.length ? await prisma.cropVariety.findMany({ select: { crop: true, name: true, colour: true } }) : [];
  const colourOf = () => new Map(rows.map((r) => [colourKey(r.crop, r.name), r.colour]));
  let map = colourOf();
  const missing = wanted.filter((w) => !map.has(colourKey(w.crop, w.variety)));
  if (missing.length) {
    await prisma.$transaction((tx) => ensureVarieties(tx, missing));
    rows = await prisma.cropVariety.findMany({ select: { crop: true, name: true, colour: true } });
    map = colourOf();
  }
  return keys.map((k) => map.get(k) ?? cropColour(k.split("|")[0]!));
}

/** Every stored variety colour, for a legend or a test. */
export async function varietyColours(): Promise<{ crop: string; name: string; colour: string }[]> {
  return prisma.cropVariety.findMany({ orderBy: [{ crop: "asc" }, { id: "asc" }], select: { crop: true, name: true, colour: true } });
}
