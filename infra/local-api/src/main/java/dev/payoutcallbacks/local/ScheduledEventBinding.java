package dev.payoutcallbacks.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.joda.time.format.DateTimeFormatter;
import org.joda.time.format.ISODateTimeFormat;

/**
 * Binds EventBridge's "Scheduled Event" JSON to ScheduledEvent as the Lambda Java runtime does: {@code time}
 * (ISO-8601, e.g. 2026-11-21T08:00:00Z) to the Joda {@link DateTime} the event class uses, and
 * {@code detail-type} to detailType. Plain Jackson knows neither (it cannot build a Joda DateTime, and
 * unknown properties are ignored here, so detail-type would silently stay null).
 */
final class ScheduledEventBinding {
    private static final DateTimeFormatter ISO = ISODateTimeFormat.dateTimeParser().withOffsetParsed();

    private ScheduledEventBinding() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("scheduled-events");
        module.addDeserializer(DateTime.class, new JodaDateTimeDeserializer());
        module.setMixInAnnotation(ScheduledEvent.class, ScheduledEventNames.class);
        return module;
    }

    /** ISO-8601 text (any offset, kept) or epoch milliseconds. */
    static final class JodaDateTimeDeserializer extends StdDeserializer<DateTime> {
        JodaDateTimeDeserializer() {
            super(DateTime.class);
        }

        @Override
        public DateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return new DateTime(p.getLongValue(), DateTimeZone.UTC);
            }
            String text = p.getValueAsString();
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return ISO.parseDateTime(text.trim());
            } catch (IllegalArgumentException notIso) {
                return (DateTime) ctxt.handleWeirdStringValue(DateTime.class, text,
                        "expected an ISO-8601 date-time such as 2026-11-21T08:00:00Z");
            }
        }
    }

    /** EventBridge's JSON names for ScheduledEvent's properties. */
    abstract static class ScheduledEventNames {
        @JsonProperty("detail-type")
        abstract String getDetailType();

        @JsonProperty("detail-type")
        abstract void setDetailType(String detailType);
    }
}
