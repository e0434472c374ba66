package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Stream records of the payouts table, shaped as the ledger writes its items. */
final class StreamRecords {
    private final AtomicLong sequence = new AtomicLong(100_000_000_000L);

    /** A STATE image: version, revision and status as the ledger writes them; more name/value pairs after. */
    static Map<String, AttributeValue> state(String reference, String status, long version, long revision,
                                             String... more) {
        Map<String, AttributeValue> image = new LinkedHashMap<>();
        image.put("pk", s("PAYOUT#" + reference));
        image.put("sk", s("STATE"));
        image.put("reference", s(reference));
        image.put("version", n(version));
        image.put("revision", n(revision));
        image.put("refunded", s("0"));
        image.put("anomalies", n(0));
        image.put("pollAttempts", n(0));
        image.put("updatedAt", s("2026-11-21T08:00:0" + Math.min(9, revision) + ".000000Z"));
        if (status != null) {
            image.put("status", s(status));
            image.put("provider", s("pivot"));
            image.put("amount", s("150000"));
            image.put("currency", s("IDR"));
            image.put("lastOutcomeAt", s("2026-11-21T08:00:0" + Math.min(9, version) + ".000000Z"));
        }
        for (int i = 0; i + 1 < more.length; i += 2) {
            image.put(more[i], s(more[i + 1]));
        }
        return image;
    }

    DynamodbEvent.DynamodbStreamRecord insert(Map<String, AttributeValue> image) {
        return record("INSERT", null, image);
    }

    DynamodbEvent.DynamodbStreamRecord modify(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return record("MODIFY", before, after);
    }

    DynamodbEvent.DynamodbStreamRecord remove(Map<String, AttributeValue> before) {
        return record("REMOVE", before, null);
    }

    /** Another item of the payout's partition: HISTORY#... or DEDUP#... */
    DynamodbEvent.DynamodbStreamRecord otherItem(String reference, String sk) {
        Map<String, AttributeValue> image = new LinkedHashMap<>();
        image.put("pk", s("PAYOUT#" + reference));
        image.put("sk", s(sk));
        image.put("result", s("APPLIED"));
        image.put("versionAfter", n(1));
        image.put("rawPayload", s("{\"accountName\":\"***\"}"));
        return record("INSERT", null, image);
    }

    DynamodbEvent.DynamodbStreamRecord record(String eventName, Map<String, AttributeValue> before,
                                              Map<String, AttributeValue> after) {
        Map<String, AttributeValue> source = after != null ? after : before;
        StreamRecord s = new StreamRecord();
        Map<String, AttributeValue> keys = new LinkedHashMap<>();
        keys.put("pk", source.get("pk"));
        keys.put("sk", source.get("sk"));
        s.setKeys(keys);
        s.setNewImage(after);
        s.setOldImage(before);
        s.setSequenceNumber(Long.toString(sequence.incrementAndGet()));
        s.setStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        s.setSizeBytes(100L);
        DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
        r.setEventID("e-" + s.getSequenceNumber());
        r.setEventName(eventName);
        r.setEventSource("aws:dynamodb");
        r.setEventVersion("1.1");
        r.setAwsRegion("us-east-1");
        r.setDynamodb(s);
        return r;
    }

    static DynamodbEvent event(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent e = new DynamodbEvent();
        e.setRecords(new ArrayList<>(records));
        return e;
    }

    static AttributeValue s(String v) {
        AttributeValue a = new AttributeValue();
        a.setS(v);
        return a;
    }

    static AttributeValue n(long v) {
        AttributeValue a = new AttributeValue();
        a.setN(Long.toString(v));
        return a;
    }
}
