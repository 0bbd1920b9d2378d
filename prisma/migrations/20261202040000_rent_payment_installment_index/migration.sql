-- CreateIndex
CREATE INDEX "RentPayment_installmentId_paidOn_idx" ON "RentPayment"("installmentId", "paidOn");
