package dev.payoutcallbacks.core.payout;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Fixed-width UTC timestamps, so sort keys built from them sort in time order. */
public final class Timestamps {
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }
}
