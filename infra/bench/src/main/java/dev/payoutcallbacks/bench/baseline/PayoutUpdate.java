package dev.payoutcallbacks.bench.baseline;

/**
 * BASELINE (benchmark only): what one callback asks for; the argument of the {@code @Idempotent} method, so
 * Powertools serialises it and takes the idempotency key from it ({@code [referenceId, status]}).
 */
public class PayoutUpdate {
    private String referenceId;
    private String status;
    private String amount;
    private String currency;
    private String reason;
    private String providerPayoutId;
    private String event;

    public PayoutUpdate() {
    }

    public PayoutUpdate(String referenceId, String status, String amount, String currency, String reason,
                        String providerPayoutId, String event) {
        this.referenceId = referenceId;
        this.status = status;
        this.amount = amount;
        this.currency = currency;
        this.reason = reason;
        this.providerPayoutId = providerPayoutId;
        this.event = event;
    }

    public String getReferenceId() { return referenceId; }
    public void setReferenceId(String v) { this.referenceId = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { this.status = v; }
    public String getAmount() { return amount; }
    public void setAmount(String v) { this.amount = v; }
    public String getCurrency() { return currency; }
    public void setCurrency(String v) { this.currency = v; }
    public String getReason() { return reason; }
    public void setReason(String v) { this.reason = v; }
    public String getProviderPayoutId() { return providerPayoutId; }
    public void setProviderPayoutId(String v) { this.providerPayoutId = v; }
    public String getEvent() { return event; }
    public void setEvent(String v) { this.event = v; }
}
