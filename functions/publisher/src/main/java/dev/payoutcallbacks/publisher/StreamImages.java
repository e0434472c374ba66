package dev.payoutcallbacks.publisher;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;

/** A stream record's image (aws-lambda-java-events types) as the DynamoDB client's attribute values. */
final class StreamImages {
    private StreamImages() {
    }

    static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> toSdk(Map<String, AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> out = new HashMap<>();
        image.forEach((name, value) -> out.put(name, toSdk(value)));
        return out;
    }

    static software.amazon.awssdk.services.dynamodb.model.AttributeValue toSdk(AttributeValue v) {
        var b = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
        if (v.getS() != null) {
            return b.s(v.getS()).build();
        }
        if (v.getN() != null) {
            return b.n(v.getN()).build();
        }
        if (v.getB() != null) {
            return b.b(bytes(v.getB())).build();
        }
        if (v.getBOOL() != null) {
            return b.bool(v.getBOOL()).build();
        }
        if (v.getSS() != null) {
            return b.ss(v.getSS()).build();
        }
        if (v.getNS() != null) {
            return b.ns(v.getNS()).build();
        }
        if (v.getBS() != null) {
            List<SdkBytes> set = new ArrayList<>();
            v.getBS().forEach(x -> set.add(bytes(x)));
            return b.bs(set).build();
        }
        if (v.getM() != null) {
            return b.m(toSdk(v.getM())).build();
        }
        if (v.getL() != null) {
            List<software.amazon.awssdk.services.dynamodb.model.AttributeValue> list = new ArrayList<>();
            v.getL().forEach(x -> list.add(toSdk(x)));
            return b.l(list).build();
        }
        if (Boolean.TRUE.equals(v.getNULL())) {
            return b.nul(true).build();
        }
        throw new IllegalArgumentException("an attribute value of no known type");
    }

    private static SdkBytes bytes(ByteBuffer buffer) {
        return SdkBytes.fromByteBuffer(buffer.duplicate());
    }
}
