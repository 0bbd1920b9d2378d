import { MASKED_VIEW, maskSnapshotJson, personalView, type Viewer } from "~/registry/privacy";

/**
 * The trail's before/after snapshots as a viewer may read them. Rows written
 * before snapshots were masked on the way in hold full values, so every
 * snapshot is masked again at display (and export) time by the one policy
 * (~/registry/privacy.ts): full only for whoever keeps the registry of the
 * event's village; an event with no village is masked for everyone.
 */
export function maskAuditJson(json: string | null, view = MASKED_VIEW): string {
  return maskSnapshotJson(json, view);
}

export function auditEventView(viewer: Viewer, e: { townshipId: number | null; villageId: number | null }) {
  return e.townshipId != null && e.villageId != null ? personalView(viewer, { townshipId: e.townshipId, villageId: e.villageId }) : MASKED_VIEW;
}
