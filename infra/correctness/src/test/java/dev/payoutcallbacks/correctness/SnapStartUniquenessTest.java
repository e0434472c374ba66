package dev.payoutcallbacks.correctness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.payoutcallbacks.correctness.support.Evidence;
import dev.payoutcallbacks.local.dynamodb.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SnapStart restores many execution environments from one snapshot: a {@code java.util.Random},
 * {@code ThreadLocalRandom} or {@code Math.random} state initialised before it (priming initialises it) replays the
 * same sequence in every copy. A source-level check, like the constant-time one: no deployed code draws from them.
 */
class SnapStartUniquenessTest {
    private static final Pattern NOT_RESTORE_SAFE = Pattern.compile(
            "\\bThreadLocalRandom\\b|\\bMath\\s*\\.\\s*random\\s*\\(|\\bnew\\s+Random\\s*\\(|\\bjava\\.util\\.Random\\b"
                    + "|\\bSplittableRandom\\b|import\\s+java\\.util\\.Random\\s*;");

    @Test
    void noDeployedCodeUsesASnapshotSharedRandom() throws Exception {
        Path functions = SamTemplate.find().projectDir().resolve("functions");
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(functions)) {
            sources = walk.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        for (Path file : sources) {
            int lineNo = 0;
            for (String line : stripComments(Files.readString(file)).split("\n")) {
                lineNo++;
                if (NOT_RESTORE_SAFE.matcher(line).find()) {
                    problems.add(functions.relativize(file) + ":" + lineNo + ": " + line.trim());
                }
            }
        }
        Evidence.print("snapstart-uniqueness", "main source files checked=" + sources.size() + " problems=" + problems.size());
        assertTrue(sources.size() > 40, "the function sources must be found: " + sources.size());
        assertEquals(List.of(), problems, "use SecureRandom (restore-safe) for ids and jitter");
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        for (String offending : List.of("long j = ThreadLocalRandom.current().nextLong(5);", "double d = Math.random();",
                "Random r = new Random(42);", "import java.util.Random;", "new java.util.Random()")) {
            assertTrue(NOT_RESTORE_SAFE.matcher(offending).find(), offending);
        }
        for (String fine : List.of("SecureRandom RANDOM = new SecureRandom();", "RANDOM.nextBytes(bits);",
                "String randomAttemptId() {")) {
            assertTrue(!NOT_RESTORE_SAFE.matcher(fine).find(), fine);
        }
    }

    private static String stripComments(String source) {
        // Comments may name what they warn against; keep line numbers.
        return Pattern.compile("(?s)/\\*.*?\\*/").matcher(source)
                .replaceAll(m -> "\n".repeat((int) m.group().chars().filter(c -> c == '\n').count()))
                .replaceAll("//[^\n]*", "");
    }
}
