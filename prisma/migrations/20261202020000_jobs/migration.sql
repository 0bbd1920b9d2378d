-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "input" TEXT NOT NULL DEFAULT '{}',
    "ref" TEXT NOT NULL DEFAULT '',
    "phase" TEXT NOT NULL DEFAULT '',
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "result" TEXT NOT NULL DEFAULT '',
    "resultPath" TEXT NOT NULL DEFAULT '',
    "resultName" TEXT NOT NULL DEFAULT '',
    "resultType" TEXT NOT NULL DEFAULT '',
    "error" TEXT NOT NULL DEFAULT '',
    "createdById" INTEGER NOT NULL,
    "townshipId" INTEGER,
    "villageId" INTEGER,
    "cooperativeId" INTEGER,
    "workerId" TEXT NOT NULL DEFAULT '',
    "heartbeatAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Job_status_id_idx" ON "Job"("status", "id");

-- CreateIndex
CREATE INDEX "Job_ref_id_idx" ON "Job"("ref", "id");

-- CreateIndex
CREATE INDEX "Job_createdById_id_idx" ON "Job"("createdById", "id");

