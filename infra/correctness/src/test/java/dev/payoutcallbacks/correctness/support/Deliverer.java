package dev.payoutcallbacks.correctness.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.payoutcallbacks.correctness.support.Histories.Delivery;
import dev.payoutcallbacks.correctness.support.Histories.Payout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Delivers callbacks through the real handlers from many threads, as providers do: every delivery is
 * retried on a 5xx answer (a provider's retry), never on 2xx or 4xx. Records every answer per dedup identity.
 */
public final class Deliverer {
    public static final int MAX_PROVIDER_RETRIES = 40;

    private final Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers;

    public final AtomicLong deliveries = new AtomicLong();
    public final AtomicLong attempts = new AtomicLong();
    public final AtomicLong fiveXxAnswers = new AtomicLong();
    public final AtomicLong duplicateAnswers = new AtomicLong();
    public final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    /** Non-DUPLICATE results answered per dedup identity. */
    public final Map<String, ConcurrentLinkedQueue<String>> effectsAnswered = new ConcurrentHashMap<>();
    /** Identities answered 2xx at least once (the provider stops retrying them). */
    public final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    public final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    public Deliverer(Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers) {
        this.handlers = handlers;
    }

    /** One delivery, with the provider's retries on 5xx. */
    public void deliver(Delivery d) {
        deliveries.incrementAndGet();
        String key = d.event().dedupKey();
        for (int attempt = 1; attempt <= MAX_PROVIDER_RETRIES; attempt++) {
            attempts.incrementAndGet();
            APIGatewayV2HTTPResponse answer;
            try {
                answer = handlers.get(d.route().provider()).apply(Providers.signed(d.route().provider(), d.route().body()));
            } catch (RuntimeException uncaught) {
                failures.add(key + " via " + d.route().provider() + ": handler threw " + uncaught);
                return;
            }
            int status = answer.getStatusCode();
            if (status >= 500) {
                fiveXxAnswers.incrementAndGet();
                sleepQuietly(2 + attempt * 3L);
                continue;
            }
            if (status != 200) {
                failures.add(key + " via " + d.route().provider() + ": answered " + status + " " + answer.getBody()
                        + " body " + d.route().body());
                return;
            }
            JsonNode body = Providers.body(answer);
            String result = body.path("result").asText();
            answers.computeIfAbsent(result, r -> new AtomicLong()).incrementAndGet();
            acknowledged.add(key);
            if (result.equals("DUPLICATE")) {
                duplicateAnswers.incrementAndGet();
            } else {
                effectsAnswered.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(result);
            }
            if (!body.path("reference").asText().equals(d.event().reference())) {
                failures.add(key + ": answer names reference " + body.path("reference").asText());
            }
            return;
        }
        failures.add(key + " via " + d.route().provider() + ": still 5xx after " + MAX_PROVIDER_RETRIES + " provider retries");
    }

    /** Runs the schedule on {@code threads} threads, in schedule order (so adjacent deliveries overlap). */
    public void run(List<Delivery> schedule, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < schedule.size()) {
                    deliver(schedule.get(i));
                }
            }, "provider-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /**
     * The delivery schedule: every delivery of the normal payouts shuffled, and each hot payout's deliveries in
     * contiguous bursts (so several threads hit the same payout at once), the bursts placed at random.
     */
    public static List<Delivery> schedule(Histories histories, List<Payout> normal, List<Payout> hot, int burst) {
        Random random = histories.random();
        List<List<Delivery>> blocks = new ArrayList<>();
        for (Payout p : normal) {
            for (Delivery d : histories.deliveries(p)) {
                blocks.add(List.of(d));
            }
        }
        for (Payout p : hot) {
            List<Delivery> all = new ArrayList<>(histories.deliveries(p));
            Collections.shuffle(all, random);
            for (int i = 0; i < all.size(); i += burst) {
                blocks.add(all.subList(i, Math.min(all.size(), i + burst)));
            }
        }
        Collections.shuffle(blocks, random);
        List<Delivery> schedule = new ArrayList<>();
        blocks.forEach(schedule::addAll);
        return schedule;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
