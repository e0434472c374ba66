package dev.payoutcallbacks.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.payoutcallbacks.publisher.LambdaStreamEvents;
import java.io.IOException;

/**
 * Binds Lambda's DynamoDB Streams event JSON to DynamodbEvent as the Lambda Java runtime does. Plain
 * Jackson would silently bind nothing ("Records", "NewImage" and {"S": ...} do not match the bean's
 * property names, and unknown properties are ignored here).
 */
final class StreamEventBinding {
    private StreamEventBinding() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("dynamodb-stream-events");
        module.addDeserializer(DynamodbEvent.class, new StdDeserializer<>(DynamodbEvent.class) {
            @Override
            public DynamodbEvent deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                JsonNode tree = p.readValueAsTree();
                return LambdaStreamEvents.fromLambdaJson(tree);
            }
        });
        return module;
    }
}
