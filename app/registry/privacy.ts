/**
 * Who sees personal numbers in full, and what everyone else sees
 * (docs/decisions/004-roles-and-scopes.md, "Personal numbers"). Every page,
 * export, PDF and the audit trail asks this module; none masks on its own.
 *
 * - Full ID numbers, phones, bank accounts and birth dates only for the one
 *   who keeps the household's registry: `write:household` with the household
 *   inside the scope (the secretary of its village). Everyone else gets the
 *   masked forms of ./masking.ts.
 * - Nothing shown beside a masked ID number restores it: the mask hides
 *   exactly the eight digits of the birth date, so a masked view shows the
 *   birth year at most, never the date.
 * - The same holds for a natural person who is a contract's transferee: their
 *   ID number and phone are personal data of the contract's village.
 *
 * Pure: no database, no framework.
 */
import { can, ownPlace, type Role, type Scope } from "~/auth/permissions";
import { maskBankAccount, maskIdNumber, maskPhone } from "./masking";
import type { Criterion } from "./search-terms";

export interface Viewer {
  role: Role;
  scope: Scope;
}

/** Where a household (or a contract, for its transferee) is kept. */
export interface Place {
  townshipId: number;
  villageId: number;
}

/** Whether the viewer keeps the registry of this place, and so sees its personal numbers whole. */
export function seesPersonalData(viewer: Viewer | null | undefined, place: Place | null | undefined): boolean {
  return !!place && can(viewer, "write:household", place);
}

/** An ID number of a person (18 characters, the last a digit or X), as opposed to a credit code. */
export function isPersonIdNumber(s: string | null | undefined): boolean {
  return /^\d{17}[\dXx]$/.test((s ?? "").trim());
}

/** "1970-01-01", "19700101" or "1970" → "1970"; anything else → "". */
export function birthYear(date: string | null | undefined): string {
  const m = /^(\d{4})(?:-?\d{2}-?\d{2})?$/.exec((date ?? "").trim());
  return m ? m[1]! : "";
}

/** The personal fields as one viewer may see them. */
export interface PersonalView {
  readonly full: boolean;
  idNumber(v: string | null | undefined): string;
  phone(v: string | null | undefined): string;
  bankAccount(v: string | null | undefined): string;
  /** the date in full; masked, the year alone */
  birthDate(v: string | null | undefined): string;
  /** a transferee's code: an ID number is masked like any other, a credit code is public */
  code(v: string | null | undefined): string;
}

export const FULL_VIEW: PersonalView = Object.freeze({
  full: true,
  idNumber: (v: string | null | undefined) => v ?? "",
  phone: (v: string | null | undefined) => v ?? "",
  bankAccount: (v: string | null | undefined) => v ?? "",
  birthDate: (v: string | null | undefined) => v ?? "",
  code: (v: string | null | undefined) => v ?? "",
});

/** For lists, ledgers and papers that go round: masked whoever reads them. */
export const MASKED_VIEW: PersonalView = Object.freeze({
  full: false,
  idNumber: maskIdNumber,
  phone: maskPhone,
  bankAccount: maskBankAccount,
  birthDate: birthYear,
  code: (v: string | null | undefined) => (isPersonIdNumber(v) ? maskIdNumber(v) : (v ?? "")),
});

/** The view of a household's (or a contract's transferee's) personal numbers for this viewer. */
export function personalView(viewer: Viewer | null | undefined, place: Place | null | undefined): PersonalView {
  return seesPersonalData(viewer, place) ? FULL_VIEW : MASKED_VIEW;
}

// ─── Searching by personal numbers (docs/decisions/005-household-search.md) ─

/**
 * Whether searching by this criterion could tell the viewer more than the
 * masked list shows. The masked ID shows the area code and the last four:
 * the last 4 characters are no secret, but the 5th and 6th from the end are
 * the day of birth, a birth date is hidden to the year, and a start of seven
 * or more digits reaches into the birth date of an ID or the hidden middle
 * of a phone. Whole numbers (an 18-character ID, an 11-digit mobile) only
 * confirm what the searcher already holds, and names are on the list.
 */
export function searchRevealsHidden(c: Criterion): boolean {
  return (c.kind === "idSuffix" && c.digits.length > 4) || c.kind === "birthDate" || c.kind === "digits";
}

/**
 * Whether the viewer may search by criteria that reveal hidden digits: only
 * those who see the numbers whole, i.e. who keep the registry of their
 * place (the village secretary). Their scope is that village, so such a
 * search never reaches a household whose numbers they would see masked.
 */
export function mayRevealingSearch(viewer: Viewer | null | undefined): boolean {
  if (!viewer) return false;
  const place = ownPlace(viewer.scope);
  return !!place && "villageId" in place && seesPersonalData(viewer, place as Place);
}

/** The first criterion this viewer may not search by, or null when the whole search is allowed. */
export function forbiddenCriterion(viewer: Viewer | null | undefined, criteria: readonly Criterion[]): Criterion | null {
  if (mayRevealingSearch(viewer)) return null;
  return criteria.find(searchRevealsHidden) ?? null;
}

// ─── Snapshots (the audit trail) ────────────────────────────────────────────

const ID_IN_TEXT = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const LANDLINE_IN_TEXT = /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g;

function maskText(s: string): string {
  return s.replace(ID_IN_TEXT, (m) => maskIdNumber(m)).replace(MOBILE_IN_TEXT, (m) => maskPhone(m)).replace(LANDLINE_IN_TEXT, (m) => maskPhone(m));
}

function maskField(key: string, value: string): string {
  const k = key.toLowerCase();
  if (k.includes("birthdate")) return birthYear(value);
  if (k.includes("idnumber")) return maskIdNumber(value);
  if (k.includes("phone")) return maskPhone(value);
  // bankAccount, receivingAccount, account (a payment's): only what looks like a number
  if (k.endsWith("account") && (value.match(/\d/g)?.length ?? 0) >= 6) return maskBankAccount(value);
  // amounts in fen are stored as digit strings: never mistaken for a phone
  if (k.endsWith("fen")) return value;
  return maskText(value);
}

/**
 * A JSON.stringify replacer that writes a snapshot as a masked view shows
 * it: personal fields by name at any depth (ID numbers, phones, accounts,
 * birth dates to the year), and ID numbers and phones found inside any other
 * text. As a replacer it sees values after their toJSON (dates, decimals).
 */
export function snapshotReplacer(view: PersonalView = MASKED_VIEW): (key: string, value: unknown) => unknown {
  if (view.full) return (_key, value) => value;
  return (key, value) => (typeof value === "string" ? maskField(key, value) : value);
}

/** A stored JSON snapshot as the view shows it; "" for none or for text that is not JSON. */
export function maskSnapshotJson(json: string | null | undefined, view: PersonalView = MASKED_VIEW): string {
  if (!json) return "";
  try {
    return JSON.stringify(JSON.parse(json), snapshotReplacer(view));
  } catch {
    return "";
  }
}
