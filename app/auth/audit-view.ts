import { maskBankAccount, maskIdNumber } from "~/registry/masking";

/**
 * The trail stores full values (it is the record of what happened), but the
 * page that shows it is a list: ID numbers and bank accounts are masked there
 * like everywhere else.
 */
export function maskAuditJson(json: string | null): string {
  if (!json) return "";
  try {
    return JSON.stringify(JSON.parse(json), (key, value) => {
      if (typeof value !== "string") return value;
      if (key === "idNumber") return maskIdNumber(value);
      if (key === "bankAccount") return maskBankAccount(value);
      return value;
    });
  } catch {
    return "";
  }
}
