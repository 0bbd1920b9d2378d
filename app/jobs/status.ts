/** A job's states (ADR 016); pure, for pages and the server alike. */
export type JobStatus = "QUEUED" | "RUNNING" | "DONE" | "FAILED" | "INTERRUPTED";

export const isActive = (status: string) => status === "QUEUED" || status === "RUNNING";
