package dev.payoutcallbacks.correctness.support;

import static dev.payoutcallbacks.correctness.support.Providers.CALYPSO;
import static dev.payoutcallbacks.correctness.support.Providers.COMMPIX;
import static dev.payoutcallbacks.correctness.support.Providers.M2MONEY;
import static dev.payoutcallbacks.correctness.support.Providers.PIVOT;
import static dev.payoutcallbacks.correctness.support.Providers.SLATE;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.payout.PayoutStatus;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Amount;
import dev.payoutcallbacks.correctness.support.ReferenceModel.Event;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded generator of payout histories: what providers say about a payout over its life (open stages,
 * submit_not_received, a success or a failure, reversals, partial and full refunds) plus the disorder of
 * the real world (contradicting outcomes, wrong amounts, refunds beyond the paid amount, refunds of failed
 * payouts, adjustments before the success they follow). Each distinct outcome is expressed as one or more
 * HTTP deliveries: the provider's own webhook and, at times, a copy of the same outcome through the Slate
 * route as a reconciler poll (source=poll), which must dedupe against the webhook.
 *
 * <p>Every delivery of one outcome carries the same content (status, stage, amounts, refund id): the dedup
 * identity of an outcome then names one content, so the model can replay the ledger's history.
 */
public final class Histories {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One HTTP delivery route for an outcome: which handler, and the exact body it receives. */
    public record Route(String provider, String body) {
    }

    /** A distinct outcome and the routes it is delivered through. */
    public record Planned(Event event, List<Route> routes) {
    }

    public record Payout(String reference, String provider, String currency, Amount amount, List<Planned> outcomes,
                         boolean hot) {
        public Map<String, Event> byKey() {
            Map<String, Event> map = new LinkedHashMap<>();
            outcomes.forEach(p -> map.put(p.event().dedupKey(), p.event()));
            return map;
        }

        public List<Event> events() {
            return outcomes.stream().map(Planned::event).toList();
        }
    }

    /** One HTTP delivery (the provider retries it on 5xx). */
    public record Delivery(Payout payout, Event event, Route route) {
    }

    private final Random random;
    private int counter;

    public Histories(long seed) {
        this.random = new Random(seed);
    }

    public Random random() {
        return random;
    }

    /** A normal history for a payout of the given provider. */
    public Payout payout(String runId, String provider) {
        String reference = provider + "-" + runId + "-" + (++counter);
        Amount amount = amountFor(provider);
        List<Event> events = new ArrayList<>();
        // Open stages first (they are what a provider says before the end).
        for (String stage : pick(stagesFor(provider), random.nextInt(4))) {
            events.add(pending(reference, stage, provider.equals(PIVOT) || provider.equals(COMMPIX) ? amount : null));
        }
        if (random.nextInt(5) == 0) {
            events.add(plain(reference, PayoutStatus.SUBMIT_NOT_RECEIVED, null));
        }
        if (provider.equals(CALYPSO) && random.nextInt(3) == 0) {
            // The reconciler learnt the exact crypto amount (18 decimals) while the payout was open.
            events.add(pending(reference, "reconciler", amount));
        }
        int story = random.nextInt(20);
        boolean succeeded = false;
        boolean failed = false;
        if (story < 9) {                       // success
            events.add(success(reference, provider, amount));
            succeeded = true;
        } else if (story < 13) {               // failure (sometimes both failed and cancelled: stale)
            events.add(failure(reference, provider, amount));
            if (random.nextInt(4) == 0 && !provider.equals(COMMPIX)) {
                Event other = plain(reference, events.get(events.size() - 1).status() == PayoutStatus.FAILED
                        ? PayoutStatus.CANCELLED : PayoutStatus.FAILED, carriesAmount(provider) ? amount : null);
                events.add(other);
            }
            failed = true;
        } else if (story < 18) {               // success then adjustments
            events.add(success(reference, provider, amount));
            succeeded = true;
            events.addAll(adjustments(reference, provider, amount, random.nextInt(4) == 0));
        }                                      // else: still open
        // Disorder of the real world.
        if (random.nextInt(6) == 0 && succeeded || random.nextInt(12) == 0 && failed) {
            events.add(failed ? success(reference, provider, amount) : plain(reference, PayoutStatus.FAILED,
                    carriesAmount(provider) ? amount : null));
        }
        if (random.nextInt(10) == 0 && failed && (provider.equals(SLATE) || provider.equals(COMMPIX))) {
            events.addAll(adjustments(reference, provider, amount, false).subList(0, 1)); // refund of a failed payout
        }
        if (random.nextInt(10) == 0 && (provider.equals(PIVOT) || provider.equals(SLATE))) {
            events.add(pending(reference, wrongAmountStage(provider), new Amount(amount.value().add(BigDecimal.ONE),
                    amount.currency())));
        }
        return new Payout(reference, provider, amount.currency(), amount, routes(provider, amount, unique(events)), false);
    }

    /** A hot payout: many outcomes, each delivered several times, meant to be delivered concurrently. */
    public Payout hot(String runId, String provider) {
        String reference = "hot-" + provider + "-" + runId + "-" + (++counter);
        Amount amount = amountFor(provider);
        List<Event> events = new ArrayList<>();
        for (String stage : stagesFor(provider)) {
            events.add(pending(reference, stage, provider.equals(PIVOT) || provider.equals(COMMPIX) ? amount : null));
        }
        events.add(plain(reference, PayoutStatus.SUBMIT_NOT_RECEIVED, null));
        events.add(success(reference, provider, amount));
        events.addAll(adjustments(reference, provider, amount, true));
        if (!provider.equals(COMMPIX)) {
            events.add(plain(reference, PayoutStatus.FAILED, carriesAmount(provider) ? amount : null));
            events.add(plain(reference, PayoutStatus.CANCELLED, carriesAmount(provider) ? amount : null));
        } else {
            events.add(plain(reference, PayoutStatus.FAILED, amount));
        }
        if (provider.equals(SLATE)) {
            events.add(plain(reference, PayoutStatus.PARTIALLY_PAID, amount));
            events.add(new Event(reference, PayoutStatus.REVERSED, null, amount, amount, "rv-" + reference, null));
            events.add(pending(reference, "wrong-amount", new Amount(amount.value().add(BigDecimal.TEN), amount.currency())));
            events.addAll(adjustments(reference, provider, amount, true));
        }
        return new Payout(reference, provider, amount.currency(), amount, routes(provider, amount, unique(events)), true);
    }

    /** Every delivery of the payouts: each route once, some several times (provider retries, replays). */
    public List<Delivery> deliveries(Payout payout) {
        List<Delivery> out = new ArrayList<>();
        for (Planned planned : payout.outcomes()) {
            for (Route route : planned.routes()) {
                int copies = payout.hot() ? 3 + random.nextInt(2) : 1 + extraCopies();
                for (int i = 0; i < copies; i++) {
                    out.add(new Delivery(payout, planned.event(), route));
                }
            }
        }
        return out;
    }

    private int extraCopies() {
        int extra = 0;
        while (extra < 3 && random.nextInt(100) < 35) {
            extra++;
        }
        return extra;
    }

    // ---- outcomes ------------------------------------------------------------------------------------

    private Event plain(String reference, PayoutStatus status, Amount amount) {
        return new Event(reference, status, null, amount, null, null, null);
    }

    private Event pending(String reference, String stage, Amount amount) {
        return new Event(reference, PayoutStatus.PENDING, stage, amount, null, null, null);
    }

    private Event success(String reference, String provider, Amount amount) {
        boolean partial = (provider.equals(CALYPSO) || provider.equals(SLATE)) && random.nextInt(6) == 0;
        return plain(reference, partial ? PayoutStatus.PARTIALLY_PAID : PayoutStatus.PAID,
                carriesAmount(provider) ? amount : null);
    }

    private Event failure(String reference, String provider, Amount amount) {
        boolean cancelled = !provider.equals(COMMPIX) && random.nextInt(3) == 0;
        return plain(reference, cancelled ? PayoutStatus.CANCELLED : PayoutStatus.FAILED,
                carriesAmount(provider) ? amount : null);
    }

    /** Refunds (Comm.Pix, Slate) or a reversal (M2Money, Slate); {@code overshoot}: refunds beyond the paid amount. */
    private List<Event> adjustments(String reference, String provider, Amount paid, boolean overshoot) {
        List<Event> out = new ArrayList<>();
        boolean reversal = provider.equals(M2MONEY) || provider.equals(PIVOT) || provider.equals(CALYPSO)
                || provider.equals(SLATE) && random.nextInt(3) == 0;
        if (reversal) {
            // M2Money's reversal carries the transfer amount; it has no reversal id.
            String id = provider.equals(SLATE) && random.nextBoolean() ? "rv-" + (++counter) : null;
            out.add(new Event(reference, PayoutStatus.REVERSED, null, provider.equals(SLATE) && random.nextBoolean()
                    ? null : paid, paid, id, null));
            return out;
        }
        long units = paid.value().movePointRight(scale(paid.currency())).longValueExact();
        int parts = 1 + random.nextInt(4);
        List<Long> cuts = new ArrayList<>();
        boolean full = random.nextInt(3) == 0;
        long total = full ? units : Math.max(parts, (long) (units * (0.3 + 0.6 * random.nextDouble())));
        for (int i = 0; i < parts - 1; i++) {
            cuts.add(1 + (long) (random.nextDouble() * (total - 1)));
        }
        Collections.sort(cuts);
        long previous = 0;
        List<Long> pieces = new ArrayList<>();
        for (long cut : cuts) {
            pieces.add(cut - previous);
            previous = cut;
        }
        pieces.add(total - previous);
        if (overshoot) {
            pieces.add(1 + (long) (random.nextDouble() * units / 2));
        }
        if (provider.equals(SLATE) && random.nextInt(8) == 0) {
            out.add(refund(reference, provider, paid, BigDecimal.ONE.movePointLeft(scale(paid.currency())),
                    "EUR".equals(paid.currency()) ? "GBP" : "EUR"));  // refund in another currency
        }
        for (long piece : pieces) {
            if (piece <= 0) {
                continue;
            }
            out.add(refund(reference, provider, paid, BigDecimal.valueOf(piece).movePointLeft(scale(paid.currency())),
                    paid.currency()));
        }
        return out;
    }

    private Event refund(String reference, String provider, Amount paid, BigDecimal value, String currency) {
        Amount adjustment = new Amount(value, currency);
        boolean withId = !provider.equals(SLATE) || random.nextInt(5) != 0;
        String id = withId ? "rf-" + (++counter) : null;
        // The provider's own full/partial word (Comm.Pix: this refund alone against the original amount).
        PayoutStatus word = value.compareTo(paid.value()) >= 0 ? PayoutStatus.REFUNDED : PayoutStatus.PARTIALLY_REFUNDED;
        Amount amount = provider.equals(COMMPIX) || provider.equals(SLATE) && random.nextBoolean() && currency.equals(paid.currency())
                ? paid : null;
        return new Event(reference, word, null, amount, adjustment, id, value.toPlainString());
    }

    // ---- providers ---------------------------------------------------------------------------------------

    private Amount amountFor(String provider) {
        return switch (provider) {
            case PIVOT -> new Amount(BigDecimal.valueOf(10_000 + random.nextInt(5_000_000)), "IDR");
            case CALYPSO -> new Amount(new BigDecimal((1 + random.nextInt(999)) + "." + digits(18)), "USDT_TRX");
            case M2MONEY -> new Amount(BigDecimal.valueOf(100 + random.nextInt(500_000), 2), "INR");
            case COMMPIX -> new Amount(BigDecimal.valueOf(100 + random.nextInt(200_000), 2), "BRL");
            default -> new Amount(BigDecimal.valueOf(100 + random.nextInt(999_900), 2), random.nextBoolean() ? "USD" : "EUR");
        };
    }

    private String digits(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        s.setCharAt(n - 1, (char) ('1' + random.nextInt(9))); // no trailing zero: exactly 18 places
        return s.toString();
    }

    private static int scale(String currency) {
        return switch (currency) {
            case "IDR" -> 0;
            case "USDT_TRX" -> 18;
            default -> 2;
        };
    }

    private static boolean carriesAmount(String provider) {
        return !provider.equals(CALYPSO);
    }

    private static List<String> stagesFor(String provider) {
        return switch (provider) {
            case PIVOT -> List.of("PAYOUT.DELAYED/DELAYED", "PAYOUT.DELAYED/PENDING", "PAYOUT.DELAYED/APPROVED",
                    "PAYOUT.DELAYED/-");
            case CALYPSO -> List.of("CREATION_IN_PROGRESS", "CREATED", "PENDING_CONFIRMATION", "CONFIRMED",
                    "IN_PROGRESS", "HASH_RECEIVED", "VALIDATION_ERROR/7001");
            case COMMPIX -> List.of("PAYOUT_CREATED");
            case M2MONEY -> List.of("reconciler");
            default -> List.of("queued", "submitted", "at-bank", "reconciler");
        };
    }

    private static String wrongAmountStage(String provider) {
        return provider.equals(PIVOT) ? "PAYOUT.DELAYED/APPROVED" : "wrong-amount";
    }

    private List<String> pick(List<String> from, int n) {
        List<String> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return copy.subList(0, Math.min(n, copy.size()));
    }

    /** One content per dedup identity: a later outcome with an identity already used is dropped. */
    private static List<Event> unique(List<Event> events) {
        Map<String, Event> byKey = new LinkedHashMap<>();
        for (Event e : events) {
            byKey.putIfAbsent(e.dedupKey(), e);
        }
        return new ArrayList<>(byKey.values());
    }

    // ---- routes and bodies -------------------------------------------------------------------------------

    private List<Planned> routes(String provider, Amount amount, List<Event> events) {
        List<Planned> planned = new ArrayList<>();
        for (Event e : events) {
            List<Route> routes = new ArrayList<>();
            String own = provider.equals(SLATE) ? null : providerBody(provider, amount, e);
            if (own != null) {
                routes.add(new Route(provider, own));
                if (random.nextInt(10) < 3) {
                    routes.add(new Route(SLATE, slateBody(provider, e, "poll")));
                }
            } else {
                String source = provider.equals(SLATE) ? List.of("internal", "poll", "webhook").get(random.nextInt(3)) : "poll";
                routes.add(new Route(SLATE, slateBody(provider, e, source)));
                if (provider.equals(SLATE) && random.nextInt(4) == 0) {
                    routes.add(new Route(SLATE, slateBody(provider, e, "poll")));
                }
            }
            planned.add(new Planned(e, routes));
        }
        return planned;
    }

    /** Slate's canonical body for any outcome (the reconciler's or an internal service's word). */
    public static String slateBody(String provider, Event e, String source) {
        ObjectNode body = JSON.createObjectNode();
        body.put("payout_reference", e.reference());
        body.put("status", e.status().wireName());
        if (e.stage() != null) {
            body.put("stage", e.stage());
        }
        String currency = e.amount() != null ? e.amount().currency() : e.adjustment() != null ? e.adjustment().currency() : null;
        if (e.amount() != null) {
            body.put("amount", e.amount().value().toPlainString());
        }
        if (e.adjustment() != null) {
            body.put("adjustment_amount", e.adjustmentText() != null ? e.adjustmentText() : e.adjustment().value().toPlainString());
        }
        if (currency != null) {
            body.put("currency", currency);
        }
        if (e.adjustmentId() != null) {
            body.put("adjustment_id", e.adjustmentId());
        }
        if (!provider.equals(SLATE)) {
            body.put("provider", provider);
        }
        body.put("source", source);
        return body.toString();
    }

    /** The body a provider's route carries for the outcome: its webhook, or Slate's canonical body for Slate. */
    public String body(String provider, Amount paid, Event e) {
        return provider.equals(SLATE) ? slateBody(SLATE, e, "internal") : providerBody(provider, paid, e);
    }

    /** The provider's own webhook body for the outcome, or null when its webhooks cannot say it. */
    private String providerBody(String provider, Amount paid, Event e) {
        return switch (provider) {
            case PIVOT -> pivotBody(e);
            case CALYPSO -> calypsoBody(e);
            case M2MONEY -> m2moneyBody(e);
            case COMMPIX -> commpixBody(paid, e);
            default -> null;
        };
    }

    private String pivotBody(Event e) {
        String event;
        String itemStatus;
        switch (e.status()) {
            case PENDING -> {
                if (!e.stage().startsWith("PAYOUT.DELAYED/")) {
                    return null;
                }
                event = "PAYOUT.DELAYED";
                String s = e.stage().substring("PAYOUT.DELAYED/".length());
                itemStatus = s.equals("-") ? null : s;
            }
            case PAID -> { event = "PAYOUT.SUCCESS"; itemStatus = "SUCCESS"; }
            case FAILED -> { event = "PAYOUT.FAILED"; itemStatus = "FAILED"; }
            case CANCELLED -> { event = "PAYOUT.FAILED"; itemStatus = "CANCELLED"; }
            default -> { return null; }
        }
        ObjectNode body = JSON.createObjectNode().put("event", event);
        ObjectNode data = body.putObject("data").put("uuid", "uuid-" + e.reference()).put("merchantId", "merchant-1");
        ObjectNode item = data.putObject("payouts").put("referenceId", e.reference());
        if (e.amount() != null) {
            item.putObject("amount").put("currency", e.amount().currency()).put("value", e.amount().value().toPlainString());
        }
        if (itemStatus != null) {
            item.put("status", itemStatus);
        }
        item.put("reason", e.status() == PayoutStatus.FAILED ? "Invalid Account" : null);
        return body.toString();
    }

    private String calypsoBody(Event e) {
        if (e.amount() != null) {
            return null; // Calypso webhooks carry no amount
        }
        String eventType;
        ObjectNode data = JSON.createObjectNode();
        data.put("parentExternalId", 580000 + Math.abs(e.reference().hashCode() % 1000));
        data.put("externalId", e.reference());
        data.put("idempotencyKey", "idem-" + e.reference());
        data.put("currency", "USDT_TRX");
        switch (e.status()) {
            case PENDING -> {
                String stage = e.stage();
                if (stage.equals("HASH_RECEIVED")) {
                    eventType = "PAYOUT_HASH_RECEIVED";
                    data.put("hash", "9f2c" + Integer.toHexString(e.reference().hashCode()));
                    data.put("payoutStatus", "IN_PROGRESS");
                } else if (stage.startsWith("VALIDATION_ERROR/")) {
                    eventType = "PAYOUT_VALIDATION_ERROR";
                    data.put("dealWithdrawalId", Long.parseLong(stage.substring("VALIDATION_ERROR/".length())));
                    data.put("validationStatus", "INVALID_ADDRESS");
                    data.put("message", "address checksum failed");
                } else if (stage.equals("CONFIRMED") && random.nextBoolean()) {
                    eventType = "PAYOUT_CONFIRMED";
                    data.putArray("approved").addObject().put("email", "approver@example.invalid");
                } else if (stage.equals("reconciler")) {
                    return null;
                } else {
                    eventType = "PAYOUT_CHANGE_STATUS";
                    data.put("payoutStatus", stage.equals("IN_PROGRESS") && random.nextBoolean() ? "In Progress" : stage);
                }
            }
            case PAID -> { eventType = "PAYOUT_CHANGE_STATUS"; data.put("payoutStatus", random.nextBoolean() ? "Completed" : "COMPLETED"); }
            case PARTIALLY_PAID -> { eventType = "PAYOUT_CHANGE_STATUS"; data.put("payoutStatus", "Partial"); }
            case FAILED -> { eventType = "PAYOUT_CHANGE_STATUS"; data.put("payoutStatus", "Failed"); }
            case CANCELLED -> { eventType = "PAYOUT_CHANGE_STATUS"; data.put("payoutStatus", "Canceled"); }
            default -> { return null; }
        }
        if (random.nextInt(4) == 0) { // the flat shape of the payout-webhooks page
            data.put("type", eventType);
            data.put("createdDate", "2026-11-20T09:15:02.118204");
            return data.toString();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("requestId", "req-" + e.reference());
        body.put("id", "evt-" + e.dedupKey().hashCode());
        body.put("createdDate", "2026-11-20T09:24:58.907311");
        body.put("level", "INFO");
        body.put("service", "PAYOUT");
        body.put("eventType", eventType);
        data.put("type", eventType);
        body.set("data", data);
        return body.toString();
    }

    private String m2moneyBody(Event e) {
        String event;
        String code;
        String status;
        switch (e.status()) {
            case PAID -> { event = "payout.transfer.success"; code = "0x0200"; status = "processed"; }
            case FAILED -> { event = "payout.transfer.failed"; code = "0x0202"; status = "failed"; }
            case CANCELLED -> { event = "payout.transfer.failed"; code = "0x0202"; status = "cancelled"; }
            case REVERSED -> {
                if (e.adjustmentId() != null || e.amount() == null) {
                    return null;
                }
                event = random.nextBoolean() ? "payout.transfer.reverse" : "payout.transfer.reversed";
                code = "0x0207";
                status = "reversed";
            }
            default -> { return null; }
        }
        if (e.amount() == null) {
            return null;
        }
        // Built as text: the amount is sometimes a JSON number, and '/' is escaped as the sender does.
        String amount = random.nextBoolean() ? "\"" + e.amount().value().toPlainString() + "\""
                : e.amount().value().stripTrailingZeros().toPlainString();
        return "{\"event\":\"" + event + "\",\"code\":\"" + code + "\",\"message\":\"Transaction\\/" + status
                + "\",\"data\":{\"orderRefId\":\"ORD" + Math.abs(e.reference().hashCode()) + "\",\"clientRefId\":\""
                + e.reference() + "\",\"contactId\":\"CONT_1\",\"firstName\":\"Testpayee\",\"lastName\":\"Fakesurname\","
                + "\"email\":\"payee.fake@example.invalid\",\"phone\":\"9876501234\",\"amount\":" + amount
                + ",\"status\":\"" + status + "\",\"utr\":\"4123" + Math.abs(e.reference().hashCode() % 100000000)
                + "\",\"reason\":" + (e.status() == PayoutStatus.PAID ? "null" : "\"Beneficiary 9876501234 declined\"")
                + "}}";
    }

    private String commpixBody(Amount paid, Event e) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode data = JSON.createObjectNode();
        switch (e.status()) {
            case PENDING -> {
                if (!e.stage().equals("PAYOUT_CREATED")) {
                    return null;
                }
                body.put("type", "PAYOUT_CREATED");
            }
            case PAID -> body.put("type", "PAYOUT_COMPLETED");
            case FAILED -> body.put("type", "PAYOUT_FAILED");
            case PARTIALLY_REFUNDED, REFUNDED -> {
                if (e.adjustmentId() == null || e.amount() == null || !e.adjustment().currency().equals("BRL")) {
                    return null;
                }
                body.put("type", "PAYOUT_REFUNDED");
                ObjectNode original = data.putObject("originalPayout");
                original.put("id", "cp-" + e.reference());
                original.put("externalId", e.reference());
                cents(original, e.amount());
                original.put("status", "COMPLETED");
                ObjectNode refund = data.putObject("refundData");
                cents(refund, e.adjustment());
                refund.put("transactionId", e.adjustmentId());
                refund.put("transactionEndToEndId", "D" + Math.abs(e.adjustmentId().hashCode()));
                body.set("data", data);
                return body.toString();
            }
            default -> { return null; }
        }
        if (e.amount() == null) {
            return null;
        }
        data.put("id", "cp-" + e.reference());
        data.put("externalId", e.reference());
        cents(data, e.amount());
        data.put("pixKey", "payee.fake@example.invalid");
        data.put("transactionEndToEndId", "E" + Math.abs(e.reference().hashCode()));
        body.set("data", data);
        return body.toString();
    }

    private void cents(ObjectNode node, Amount amount) {
        long cents = amount.value().movePointRight(2).longValueExact();
        if (random.nextBoolean()) {
            node.put("amount", cents);
        } else {
            node.put("amount", Long.toString(cents));
        }
    }
}
