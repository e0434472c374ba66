package dev.payoutcallbacks.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/** Creates the AWS::DynamoDB::Table resources of template.yaml, as declared there, in any DynamoDB endpoint. */
public final class TemplateTables {
    private TemplateTables() {
    }

    /** Creates the table declared under {@code logicalId} with the given name (if absent), its stream and its TTL. */
    public static void create(DynamoDbClient db, SamTemplate template, String logicalId, String tableName) {
        JsonNode props = template.resources("AWS::DynamoDB::Table").get(logicalId);
        if (props == null) {
            throw new IllegalArgumentException("no AWS::DynamoDB::Table " + logicalId + " in " + template.path());
        }
        props = props.path("Properties");
        List<AttributeDefinition> attributes = new ArrayList<>();
        props.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText())
                .attributeType(a.path("AttributeType").asText()).build()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        props.path("GlobalSecondaryIndexes").forEach(g -> indexes.add(GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText())
                .keySchema(keySchema(g.path("KeySchema")))
                .projection(Projection.builder()
                        .projectionType(g.path("Projection").path("ProjectionType").asText("ALL"))
                        .nonKeyAttributes(nonKeyAttributes(g.path("Projection").path("NonKeyAttributes")))
                        .build())
                .build()));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(props.path("KeySchema")));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        String streamViewType = props.path("StreamSpecification").path("StreamViewType").asText(null);
        if (streamViewType != null) {
            request.streamSpecification(s -> s.streamEnabled(true).streamViewType(streamViewType));
        }
        try {
            db.createTable(request.build());
        } catch (ResourceInUseException exists) {
            enableStream(db, tableName, streamViewType); // kept on disk from an earlier run, maybe without one
            return;
        }
        db.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        JsonNode ttl = props.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false)) {
            db.updateTimeToLive(b -> b.tableName(tableName).timeToLiveSpecification(t -> t
                    .attributeName(ttl.path("AttributeName").asText()).enabled(true)));
        }
    }

    /** A table kept from a run before the template declared its stream gets the stream now. */
    private static void enableStream(DynamoDbClient db, String tableName, String streamViewType) {
        if (streamViewType == null) {
            return;
        }
        var existing = db.describeTable(b -> b.tableName(tableName)).table().streamSpecification();
        if (existing == null || !Boolean.TRUE.equals(existing.streamEnabled())) {
            db.updateTable(b -> b.tableName(tableName)
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(streamViewType)));
        }
    }

    /** Every table of the template, each named by its logical id (what a Ref resolves to locally). */
    public static List<String> createAll(DynamoDbClient db, SamTemplate template) {
        List<String> created = new ArrayList<>();
        for (String logicalId : template.resources("AWS::DynamoDB::Table").keySet()) {
            create(db, template, logicalId, logicalId);
            created.add(logicalId);
        }
        return created;
    }

    private static List<KeySchemaElement> keySchema(JsonNode keys) {
        List<KeySchemaElement> schema = new ArrayList<>();
        keys.forEach(k -> schema.add(KeySchemaElement.builder()
                .attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build()));
        return schema;
    }

    private static List<String> nonKeyAttributes(JsonNode names) {
        if (names.isMissingNode() || names.isEmpty()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        names.forEach(n -> list.add(n.asText()));
        return list;
    }
}
