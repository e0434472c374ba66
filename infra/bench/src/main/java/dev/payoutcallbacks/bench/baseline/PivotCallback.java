package dev.payoutcallbacks.bench.baseline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** BASELINE (benchmark only): Pivot's callback body bound with Jackson data binding, as teams usually do. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class PivotCallback {
    public String event;
    public Data data;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Data {
        public String uuid;
        public String merchantId;
        public Payout payouts;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Payout {
        public String referenceId;
        public Amount amount;
        public String status;
        public String reason;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Amount {
        public String currency;
        public String value;
    }
}
