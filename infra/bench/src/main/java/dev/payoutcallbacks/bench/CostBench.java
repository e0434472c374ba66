package dev.payoutcallbacks.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.payoutcallbacks.bench.baseline.PivotBaselineHandler;
import dev.payoutcallbacks.bench.capacity.CapacityRules;
import dev.payoutcallbacks.bench.capacity.DynamoCallLog;
import dev.payoutcallbacks.bench.capacity.DynamoCallLog.Call;
import dev.payoutcallbacks.bench.capacity.DynamoCallLog.Touch;
import dev.payoutcallbacks.bench.capacity.ItemSize;
import dev.payoutcallbacks.core.lambda.CallbackLog;
import dev.payoutcallbacks.core.lambda.CallbackReceiver;
import dev.payoutcallbacks.core.ledger.PayoutHistory;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.core.testing.ProviderFixture;
import dev.payoutcallbacks.local.dynamodb.EmbeddedDynamoDb;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * DynamoDB cost per callback. Every provider's callbacks go through the real receiver (verify → translate →
 * apply → respond) on a client whose interceptor records each call; every item written is read back from
 * DynamoDB Local before and after, its size computed with AWS's rules, and its units computed from the
 * rules (2× for transactions, +1 per GSI) — beside what Local itself reports. The HISTORY# item the change
 * publisher writes from the table's stream is sized and costed too, shown apart (it is off the request path).
 */
final class CostBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One callback of a scenario. */
    record Step(String refLabel, PayoutStatus status, String caseName, String expected) {
    }

    /** What one callback cost. */
    record Cost(String caseName, String result, int calls, String shape, double ruleWrite, double gsiWrite, double ruleRead,
                double localWrite, double localRead, Map<String, Long> itemBytes, long historyBytes) {
        /** The HISTORY# item the change publisher writes from the stream (off the request path): 1 WCU per KB. */
        double historyWrite() {
            return historyBytes <= 0 ? 0 : CapacityRules.writeUnits(historyBytes);
        }
    }

    private final EmbeddedDynamoDb local;
    private final ProviderEvents events;
    private final int repeats;

    CostBench(EmbeddedDynamoDb local, ProviderEvents events, int repeats) {
        this.local = local;
        this.events = events;
        this.repeats = repeats;
    }

    /** The cases a provider's callbacks can say: with an open status, else with a reversal (M2Money's). */
    List<Step> scenario(ProviderFixture p) {
        if (!events.says(p, PayoutStatus.PENDING)) {
            return List.of(
                    new Step("a", PayoutStatus.PAID, "applied, new payout", "APPLIED"),
                    new Step("a", PayoutStatus.PAID, "duplicate", "DUPLICATE"),
                    new Step("a", PayoutStatus.FAILED, "conflict (failed after paid)", "CONFLICT"),
                    new Step("b", PayoutStatus.PAID, "applied, new payout", "APPLIED"),
                    new Step("b", PayoutStatus.REVERSED, "applied, existing payout", "APPLIED"),
                    new Step("b", PayoutStatus.FAILED, "stale (failed after reversed)", "STALE"));
        }
        return List.of(
                new Step("a", PayoutStatus.PAID, "applied, new payout", "APPLIED"),
                new Step("a", PayoutStatus.PAID, "duplicate", "DUPLICATE"),
                new Step("a", PayoutStatus.PENDING, "stale (open status after paid)", "STALE"),
                new Step("a", PayoutStatus.FAILED, "conflict (failed after paid)", "CONFLICT"),
                new Step("b", PayoutStatus.PENDING, "applied, new payout (open status)", "APPLIED"),
                new Step("b", PayoutStatus.PAID, "applied, existing payout", "APPLIED"));
    }

    /** Cases in table order (a case may occur twice in a scenario: its repeats pool together). */
    static final List<String> CASES = List.of("applied, new payout", "applied, new payout (open status)",
            "applied, existing payout", "duplicate",
            "stale (open status after paid)", "stale (failed after reversed)", "conflict (failed after paid)");

    /** provider → case → costs. */
    Map<String, Map<String, List<Cost>>> ours;
    Map<String, List<Cost>> baseline;

    void run(Report report) {
        DynamoDbClient shadow = EmbeddedDynamoDb.client(local.endpoint());
        DynamoCallLog log = new DynamoCallLog(shadow, true);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        CallbackLog.redirect(quiet);
        try (DynamoDbClient db = Stacks.ourClient(local.endpoint(), log)) {
            String table = local.freshTable(SamTemplate.find(), "PayoutsTable");
            ours = new LinkedHashMap<>();
            for (ProviderFixture p : events.providers()) {
                CallbackReceiver receiver = Stacks.receiver(p, events, db, table);
                Map<String, List<Cost>> byCase = new LinkedHashMap<>();
                for (int r = 0; r < repeats; r++) {
                    String run = UUID.randomUUID().toString().substring(0, 8);
                    for (Step step : scenario(p)) {
                        String ref = p.provider() + "-cost-" + run + "-" + step.refLabel();
                        Map<String, AttributeValue> before = stateItem(shadow, table, ref);
                        log.drain();
                        APIGatewayV2HTTPResponse answer = receiver.receive(events.callback(p, step.status(), ref).toEvent(),
                                null);
                        Cost c = cost(step, answer, log.drain(), CostBench::ourItemKind);
                        long history = PayoutHistory.recordedBy(before, stateItem(shadow, table, ref)).map(ItemSize::of).orElse(0L);
                        c = new Cost(c.caseName(), c.result(), c.calls(), c.shape(), c.ruleWrite(), c.gsiWrite(), c.ruleRead(),
                                c.localWrite(), c.localRead(), c.itemBytes(), history);
                        check(p.provider(), step, c);
                        byCase.computeIfAbsent(step.caseName(), k -> new ArrayList<>()).add(c);
                    }
                }
                ours.put(p.provider(), byCase);
            }
        } finally {
            CallbackLog.redirect(System.out);
        }
        baseline = runBaseline(shadow, log);
        calibrate(report, shadow);
        write(report);
    }

    private Map<String, List<Cost>> runBaseline(DynamoDbClient shadow, DynamoCallLog log) {
        Map<String, List<Cost>> byCase = new LinkedHashMap<>();
        try (DynamoDbClient db = Stacks.defaultClient(local.endpoint(), log)) {
            String[] tables = Stacks.baselineTables(shadow);
            ProviderFixture pivot = events.provider(Stacks.BASELINE_PROVIDER);
            Map<String, String> env = new HashMap<>(events.settings());
            env.put("TABLE_NAME", tables[0]);
            env.put("IDEMPOTENCY_TABLE_NAME", tables[1]);
            PivotBaselineHandler handler = new PivotBaselineHandler(env, db);
            for (int r = 0; r < repeats; r++) {
                String run = UUID.randomUUID().toString().substring(0, 8);
                for (Step step : scenario(pivot)) {
                    String ref = "baseline-cost-" + run + "-" + step.refLabel();
                    log.drain();
                    APIGatewayV2HTTPResponse answer = handler.handleRequest(
                            events.callback(pivot, step.status(), ref).toEvent(), null);
                    Cost c = cost(step, answer, log.drain(), t -> t.table().startsWith("BaselineIdempotency") ? "idempotency record" : "payout");
                    byCase.computeIfAbsent(step.caseName(), k -> new ArrayList<>()).add(c);
                }
            }
        }
        return byCase;
    }

    private static String ourItemKind(Touch t) {
        String sk = t.key().get("sk").s();
        return sk.equals("STATE") ? "state" : sk.startsWith("HISTORY#") ? "history" : sk;
    }

    private static Map<String, AttributeValue> stateItem(DynamoDbClient db, String table, String reference) {
        var found = db.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("PAYOUT#" + reference), "sk", AttributeValue.fromS("STATE"))));
        return found.hasItem() && !found.item().isEmpty() ? found.item() : null;
    }

    private static Cost cost(Step step, APIGatewayV2HTTPResponse answer, List<Call> calls, Function<Touch, String> kindOf) {
        String result = "HTTP " + answer.getStatusCode();
        try {
            JsonNode body = JSON.readTree(answer.getBody());
            if (body.has("result")) {
                result = body.get("result").asText();
            }
        } catch (Exception ignored) {
            // keep the status
        }
        double rw = 0;
        double gsi = 0;
        double rr = 0;
        double lw = 0;
        double lr = 0;
        List<String> shape = new ArrayList<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        for (Call c : calls) {
            rw += c.ruleWriteUnits();
            gsi += c.gsiWriteUnits();
            rr += c.ruleReadUnits();
            double reported = c.reportedUnits() == null ? 0 : c.reportedUnits();
            if (c.isWrite()) {
                lw += reported;
            } else {
                lr += reported;
            }
            StringBuilder s = new StringBuilder(c.operation());
            if (c.operation().equals("TransactWriteItems")) {
                s.append('(').append(String.join("+", c.touches().stream().map(Touch::action).toList())).append(')');
            }
            if (!c.succeeded()) {
                s.append(" [").append(c.error().replace("Exception", "")).append(']');
            }
            shape.add(s.toString());
            if (c.isWrite()) {
                for (Touch t : c.touches()) {
                    String kind = kindOf.apply(t);
                    bytes.merge(kind, t.action().equals("ConditionCheck") || !c.succeeded()
                            ? Math.max(t.before(), 0) : t.larger(), Math::max);
                }
            }
        }
        return new Cost(step.caseName(), result, calls.size(), String.join(" → ", shape), rw, gsi, rr, lw, lr, bytes, 0);
    }

    private static void check(String provider, Step step, Cost c) {
        if (!c.result().equals(step.expected())) {
            Report.progress("WARNING " + provider + " " + step.caseName() + ": expected " + step.expected() + ", got " + c.result());
        }
    }

    /**
     * Cross-check of the item-size calculator against DynamoDB Local's own sizing: PutItem and GetItem of items
     * whose computed size straddles the 1 KB and 4 KB boundaries, with ReturnConsumedCapacity.
     */
    private void calibrate(Report report, DynamoDbClient db) {
        String table = local.freshTable(SamTemplate.find(), "PayoutsTable");
        long writeFlip = -1;
        long readFlip = -1;
        for (int pad = 980; pad <= 1030; pad++) {
            Map<String, AttributeValue> item = paddedItem("w" + pad, pad);
            double units = db.putItem(b -> b.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                    .consumedCapacity().capacityUnits();
            if (units > 1 && writeFlip < 0) {
                writeFlip = ItemSize.of(item);
            }
        }
        for (int pad = 4000; pad <= 4080; pad++) {
            Map<String, AttributeValue> item = paddedItem("r" + pad, pad);
            db.putItem(b -> b.tableName(table).item(item));
            double units = db.getItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                    .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
            if (units > 1 && readFlip < 0) {
                readFlip = ItemSize.of(item);
            }
        }
        calibration = "Item-size calculator vs DynamoDB Local (PutItem / consistent GetItem of items straddling the boundaries): "
                + "Local's write units go from 1 to 2 at a computed size of " + writeFlip + " bytes (AWS rule: "
                + (CapacityRules.KB + 1) + "); its read units go from 1 to 2 at " + readFlip + " bytes (AWS rule: "
                + (CapacityRules.READ_BLOCK + 1) + ").";
    }

    private String calibration = "";

    private static Map<String, AttributeValue> paddedItem(String id, int pad) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("CAL#" + id));
        item.put("sk", AttributeValue.fromS("X"));
        item.put("n", AttributeValue.fromN("12345"));
        item.put("pad", AttributeValue.fromS("x".repeat(pad)));
        return item;
    }

    // ---------------------------------------------------------------- output

    private void write(Report report) {
        report.section("DynamoDB cost per callback (medians of " + repeats + " runs per case)");
        report.line("Units are computed from AWS's rules for the items actually written (read back from DynamoDB Local "
                + "before and after each call): 1 WCU per KB per item (larger of before/after), TransactWriteItems 2× per "
                + "action incl. ConditionCheck, strongly consistent read 1 RCU per 4 KB per item (missing item: still 1), "
                + "GSI writes per AWS's GSI rules (entering, leaving, key change = 2, projected change; 1 per KB of the entry; "
                + "shown in brackets, included in the total). \"Local\" is DynamoDB Local's own ReturnConsumedCapacity: it "
                + "follows the rules for single-item writes and reads of existing items, but charges nothing for a "
                + "missing item in BatchGetItem (AWS charges the minimum), nothing for a failed conditional write, and a "
                + "flat 4 per table or index involved for a transaction; those columns are shown, not used.");
        report.line("");
        report.line(calibration);
        report.line("");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Cost>>> e : ours.entrySet()) {
            for (String caseName : CASES) {
                List<Cost> costs = e.getValue().get(caseName);
                if (costs != null) {
                    rows.add(row(e.getKey(), caseName, costs));
                }
            }
        }
        report.table(List.of("provider", "case", "result", "round trips", "DynamoDB calls", "WCU (rules)", "RCU (rules)",
                "Local W / R", "item bytes written", "+ history from the stream (WCU, bytes)"), rows);

        report.line("Baseline (Pivot; Powertools idempotency + Enhanced Client versioned write) on the same cases:");
        report.line("");
        List<List<String>> baseRows = new ArrayList<>();
        for (String caseName : CASES) {
            List<Cost> costs = baseline.get(caseName);
            if (costs != null) {
                baseRows.add(row("pivot baseline", caseName, costs));
            }
        }
        report.table(List.of("stack", "case", "answer", "round trips", "DynamoDB calls", "WCU (rules)", "RCU (rules)",
                "Local W / R", "item bytes written", "+ history"), baseRows);

        report.line("Pivot, ours ÷ baseline (write units; read units):");
        report.line("");
        List<List<String>> ratioRows = new ArrayList<>();
        Map<String, List<Cost>> pivot = ours.get(Stacks.BASELINE_PROVIDER);
        for (String caseName : CASES) {
            if (pivot.containsKey(caseName) && baseline.containsKey(caseName)) {
                double ow = median(pivot.get(caseName), Cost::ruleWrite);
                double bw = median(baseline.get(caseName), Cost::ruleWrite);
                double or = median(pivot.get(caseName), Cost::ruleRead);
                double br = median(baseline.get(caseName), Cost::ruleRead);
                double oh = ow + median(pivot.get(caseName), Cost::historyWrite);
                ratioRows.add(List.of(caseName, Report.num(ow) + " vs " + Report.num(bw), Report.ratio(ow, bw),
                        Report.num(oh) + " vs " + Report.num(bw), Report.ratio(oh, bw),
                        Report.num(or) + " vs " + Report.num(br), Report.ratio(or, br),
                        Report.num(median(pivot.get(caseName), c -> (double) c.calls())) + " vs "
                                + Report.num(median(baseline.get(caseName), c -> (double) c.calls()))));
            }
        }
        report.table(List.of("case", "WCU on the request path, ours vs baseline", "ratio",
                "WCU incl. the history item from the stream", "ratio", "RCU ours vs baseline", "ratio", "round trips"), ratioRows);
    }

    private static List<String> row(String stack, String caseName, List<Cost> costs) {
        Cost first = costs.get(0);
        Map<String, Long> bytes = first.itemBytes();
        StringBuilder items = new StringBuilder();
        for (String kind : bytes.keySet()) {
            if (items.length() > 0) {
                items.append(", ");
            }
            String k = kind;
            items.append(k).append(' ').append(Report.num(median(costs, c -> (double) c.itemBytes().getOrDefault(k, 0L))));
        }
        return List.of(stack, caseName, first.result(),
                Report.num(median(costs, c -> (double) c.calls())),
                first.shape(),
                Report.num(median(costs, Cost::ruleWrite)) + (median(costs, Cost::gsiWrite) > 0
                        ? " (GSI " + Report.num(median(costs, Cost::gsiWrite)) + ")" : ""),
                Report.num(median(costs, Cost::ruleRead)),
                Report.num(median(costs, Cost::localWrite)) + " / " + Report.num(median(costs, Cost::localRead)),
                items.length() == 0 ? "-" : items.toString(),
                median(costs, Cost::historyWrite) == 0 ? "-" : Report.num(median(costs, Cost::historyWrite)) + " ("
                        + Report.num(median(costs, c -> (double) c.historyBytes())) + " B)");
    }

    static double median(List<Cost> costs, Function<Cost, Double> f) {
        return Report.median(costs.stream().map(f).toList());
    }

    /** Medians for BENCHMARKS' summary: write units of a case for a provider (ours). */
    double oursWrite(String p, String caseName) {
        List<Cost> c = ours.get(p).get(caseName);
        return c == null ? Double.NaN : median(c, Cost::ruleWrite);
    }

    double baselineWrite(String caseName) {
        List<Cost> c = baseline.get(caseName);
        return c == null ? Double.NaN : median(c, Cost::ruleWrite);
    }
}
