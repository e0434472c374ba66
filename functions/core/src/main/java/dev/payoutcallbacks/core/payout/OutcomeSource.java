package dev.payoutcallbacks.core.payout;

import java.util.Locale;

/** Where an outcome came from. Dedup does not depend on it: a webhook and a poll of the same outcome apply once. */
public enum OutcomeSource {
    WEBHOOK, POLL, INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutcomeSource fromWireName(String value) {
        for (OutcomeSource source : values()) {
            if (source.wireName().equals(value)) {
                return source;
            }
        }
        return null;
    }
}
