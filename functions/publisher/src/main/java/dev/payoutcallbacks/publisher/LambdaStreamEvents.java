package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The DynamoDB Streams event in Lambda's wire format ({"Records":[{"eventName","dynamodb":{"NewImage":
 * {"status":{"S":"paid"}}}}]}), by hand in both directions: from records as the DynamoDB Streams API
 * returns them (SDK v2), and into aws-lambda-java-events' DynamodbEvent. Plain Jackson cannot bind that
 * class (PascalCase keys, "S"/"N"/"NULL" attribute names), which Lambda's own serializer handles with
 * mix-ins. Used by the local run's stream poller, by tests, and by the deployed function only to park a poison
 * record in the failure bucket and to read failure records back (redrive).
 */
public final class LambdaStreamEvents {
    private LambdaStreamEvents() {
    }

    /** Lambda's event for a batch of stream records read with the DynamoDB Streams API. */
    public static ObjectNode toLambdaJson(List<Record> records, String eventSourceArn) {
        ObjectNode event = Json.newObject();
        ArrayNode out = event.putArray("Records");
        for (Record r : records) {
            ObjectNode rec = out.addObject();
            rec.put("eventID", r.eventID());
            rec.put("eventName", r.eventNameAsString());
            rec.put("eventVersion", r.eventVersion() == null ? "1.1" : r.eventVersion());
            rec.put("eventSource", r.eventSource() == null ? "aws:dynamodb" : r.eventSource());
            rec.put("awsRegion", r.awsRegion());
            var s = r.dynamodb();
            ObjectNode d = rec.putObject("dynamodb");
            if (s.approximateCreationDateTime() != null) {
                d.put("ApproximateCreationDateTime", s.approximateCreationDateTime().getEpochSecond());
            }
            if (s.hasKeys()) {
                d.set("Keys", image(s.keys()));
            }
            if (s.hasNewImage()) {
                d.set("NewImage", image(s.newImage()));
            }
            if (s.hasOldImage()) {
                d.set("OldImage", image(s.oldImage()));
            }
            d.put("SequenceNumber", s.sequenceNumber());
            if (s.sizeBytes() != null) {
                d.put("SizeBytes", s.sizeBytes());
            }
            d.put("StreamViewType", s.streamViewTypeAsString());
            if (r.userIdentity() != null) {
                ObjectNode id = rec.putObject("userIdentity");
                id.put("type", r.userIdentity().type());
                id.put("principalId", r.userIdentity().principalId());
            }
            rec.put("eventSourceARN", eventSourceArn);
        }
        return event;
    }

    /**
     * One record of a Lambda DynamoDB stream event back in Lambda's wire format: what a failure record keeps of
     * a record the publisher parks (the same shape Lambda puts in its own S3 on-failure records).
     */
    public static ObjectNode toLambdaJson(DynamodbEvent.DynamodbStreamRecord r) {
        ObjectNode rec = Json.newObject();
        rec.put("eventID", r.getEventID());
        rec.put("eventName", r.getEventName());
        rec.put("eventVersion", r.getEventVersion());
        rec.put("eventSource", r.getEventSource());
        rec.put("awsRegion", r.getAwsRegion());
        StreamRecord s = r.getDynamodb();
        if (s != null) {
            ObjectNode d = rec.putObject("dynamodb");
            if (s.getApproximateCreationDateTime() != null) {
                d.put("ApproximateCreationDateTime", s.getApproximateCreationDateTime().getTime() / 1000);
            }
            if (s.getKeys() != null) {
                d.set("Keys", image(StreamImages.toSdk(s.getKeys())));
            }
            if (s.getNewImage() != null) {
                d.set("NewImage", image(StreamImages.toSdk(s.getNewImage())));
            }
            if (s.getOldImage() != null) {
                d.set("OldImage", image(StreamImages.toSdk(s.getOldImage())));
            }
            d.put("SequenceNumber", s.getSequenceNumber());
            if (s.getSizeBytes() != null) {
                d.put("SizeBytes", s.getSizeBytes());
            }
            if (s.getStreamViewType() != null) {
                d.put("StreamViewType", s.getStreamViewType());
            }
        }
        if (r.getUserIdentity() != null) {
            ObjectNode id = rec.putObject("userIdentity");
            id.put("type", r.getUserIdentity().getType());
            id.put("principalId", r.getUserIdentity().getPrincipalId());
        }
        rec.put("eventSourceARN", r.getEventSourceARN());
        return rec;
    }

    public static DynamodbEvent fromSdkRecords(List<Record> records, String eventSourceArn) {
        return fromLambdaJson(toLambdaJson(records, eventSourceArn));
    }

    /** Binds Lambda's wire format to DynamodbEvent, as the Lambda Java runtime does. */
    public static DynamodbEvent fromLambdaJson(JsonNode event) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (JsonNode rec : event.path("Records")) {
            DynamodbEvent.DynamodbStreamRecord r = new DynamodbEvent.DynamodbStreamRecord();
            r.setEventID(text(rec, "eventID"));
            r.setEventName(text(rec, "eventName"));
            r.setEventVersion(text(rec, "eventVersion"));
            r.setEventSource(text(rec, "eventSource"));
            r.setAwsRegion(text(rec, "awsRegion"));
            r.setEventSourceARN(text(rec, "eventSourceARN"));
            JsonNode d = rec.path("dynamodb");
            if (d.isObject()) {
                StreamRecord s = new StreamRecord();
                JsonNode created = d.path("ApproximateCreationDateTime");
                if (created.isNumber()) {
                    s.setApproximateCreationDateTime(new Date(created.decimalValue()
                            .multiply(BigDecimal.valueOf(1000)).longValue()));
                }
                s.setKeys(lambdaImage(d.get("Keys")));
                s.setNewImage(lambdaImage(d.get("NewImage")));
                s.setOldImage(lambdaImage(d.get("OldImage")));
                s.setSequenceNumber(text(d, "SequenceNumber"));
                if (d.path("SizeBytes").isNumber()) {
                    s.setSizeBytes(d.path("SizeBytes").longValue());
                }
                if (text(d, "StreamViewType") != null) {
                    s.setStreamViewType(StreamViewType.fromValue(text(d, "StreamViewType")));
                }
                r.setDynamodb(s);
            }
            JsonNode identity = rec.path("userIdentity");
            if (identity.isObject()) {
                Identity id = new Identity();
                id.setType(text(identity, "type"));
                id.setPrincipalId(text(identity, "principalId"));
                r.setUserIdentity(id);
            }
            records.add(r);
        }
        DynamodbEvent bound = new DynamodbEvent();
        bound.setRecords(records);
        return bound;
    }

    /** An item in DynamoDB JSON ({"name":{"S":"..."}}). */
    public static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode node = Json.newObject();
        item.forEach((k, v) -> node.set(k, value(v)));
        return node;
    }

    private static JsonNode value(AttributeValue v) {
        ObjectNode node = Json.newObject();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case B -> node.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case SS -> v.ss().forEach(node.putArray("SS")::add);
            case NS -> v.ns().forEach(node.putArray("NS")::add);
            case BS -> {
                ArrayNode bs = node.putArray("BS");
                v.bs().forEach(b -> bs.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            }
            case M -> node.set("M", image(v.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                v.l().forEach(e -> list.add(value(e)));
            }
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            default -> throw new IllegalArgumentException("attribute type " + v.type() + " unknown to this build");
        }
        return node;
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> lambdaImage(
            JsonNode image) {
        if (image == null || !image.isObject()) {
            return null;
        }
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = image.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            out.put(f.getKey(), lambdaValue(f.getValue()));
        }
        return out;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue lambdaValue(JsonNode v) {
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (v.has("S")) {
            out.setS(v.get("S").asText());
        } else if (v.has("N")) {
            out.setN(v.get("N").asText());
        } else if (v.has("B")) {
            out.setB(ByteBuffer.wrap(Base64.getDecoder().decode(v.get("B").asText())));
        } else if (v.has("SS")) {
            out.setSS(strings(v.get("SS")));
        } else if (v.has("NS")) {
            out.setNS(strings(v.get("NS")));
        } else if (v.has("BS")) {
            List<ByteBuffer> bs = new ArrayList<>();
            v.get("BS").forEach(b -> bs.add(ByteBuffer.wrap(Base64.getDecoder().decode(b.asText()))));
            out.setBS(bs);
        } else if (v.has("M")) {
            out.setM(lambdaImage(v.get("M")));
        } else if (v.has("L")) {
            List<com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> list = new ArrayList<>();
            v.get("L").forEach(e -> list.add(lambdaValue(e)));
            out.setL(list);
        } else if (v.has("BOOL")) {
            out.setBOOL(v.get("BOOL").asBoolean());
        } else if (v.has("NULL")) {
            out.setNULL(v.get("NULL").asBoolean());
        } else {
            throw new IllegalArgumentException("not a DynamoDB attribute value: " + v);
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
