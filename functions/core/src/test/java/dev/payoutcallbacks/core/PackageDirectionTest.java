package dev.payoutcallbacks.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core's layers, as README's Layout lists them, and the direction they may import in. A source check (imports
 * and inline qualified names, comments and strings left out): a class that imports against the direction fails the
 * build, so the layering stays what the tree shows.
 *
 * <pre>
 *   payout   ←  provider  ←  ledger  ←  lambda
 *                  ↖ config ↗      ↖________/
 * </pre>
 *
 * A provider module (one that implements {@code ProviderCallbacks}) speaks the provider SPI only: its handler alone
 * names the Lambda edge's {@code ProviderCallbackFunction}, and nothing in it names the ledger or an AWS library.
 */
class PackageDirectionTest {
    private static final String CORE = "dev.payoutcallbacks.core.";

    /** What each package of functions/core may import besides java.* and its own package. */
    static final Map<String, List<String>> MAY_IMPORT = new LinkedHashMap<>();

    static {
        // the domain: statuses, the transition table, decisions, state, outcomes, money
        MAY_IMPORT.put("payout", List.of());
        // settings, secrets and how AWS clients are built; no payout type, no DynamoDB, no Lambda
        MAY_IMPORT.put("config", List.of("software.amazon.awssdk.", "com.fasterxml.jackson.", "org.crac."));
        // the provider SPI and toolkit: callbacks, status API, request, rejection, signatures, JSON
        MAY_IMPORT.put("provider", List.of(CORE + "payout.", CORE + "config.", "com.fasterxml.jackson."));
        // storage: the only package that speaks DynamoDB (and KMS, for sealing)
        MAY_IMPORT.put("ledger", List.of(CORE + "payout.", CORE + "provider.", CORE + "config.",
                "software.amazon.awssdk.", "com.fasterxml.jackson."));
        // the Lambda edge: receiver, answers, views, log, priming; the only one importing the Lambda libraries
        MAY_IMPORT.put("lambda", List.of(CORE + "payout.", CORE + "provider.", CORE + "config.", CORE + "ledger.",
                "com.amazonaws.services.lambda.", "software.amazon.awssdk.core.", "com.fasterxml.jackson.", "org.crac."));
    }

    /** Named by one package only, whatever the prefixes above allow. */
    static final Map<String, String> ONLY_IN = Map.of(
            "software.amazon.awssdk.services.dynamodb.", "ledger",
            "software.amazon.awssdk.services.kms.", "ledger",
            "com.amazonaws.services.lambda.", "lambda");

    /** What a provider module's classes may import besides java.*; its handler may also name the base function. */
    static final List<String> PROVIDER_MODULE_MAY_IMPORT = List.of(CORE + "payout.", CORE + "provider.", CORE + "config.",
            "com.fasterxml.jackson.");
    static final String PROVIDER_HANDLER_BASE = CORE + "lambda.ProviderCallbackFunction";

    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;");
    /** A qualified name written inline: a package path ending in a class (upper-case) name. */
    private static final Pattern INLINE = Pattern.compile("(?<![\\w.])((?:[a-z]\\w*\\.){2,}[A-Z]\\w*)");

    @Test
    void everyCorePackageImportsOnlyInItsDirection() {
        Path core = sourceRoot().resolve("dev/payoutcallbacks/core");
        List<String> problems = new ArrayList<>();
        int files = 0;
        for (Path file : javaFiles(core)) {
            files++;
            Path relative = core.relativize(file);
            if (relative.getNameCount() != 2 || !MAY_IMPORT.containsKey(relative.getName(0).toString())) {
                problems.add(relative + ": not in one of " + MAY_IMPORT.keySet());
                continue;
            }
            String layer = relative.getName(0).toString();
            violations(layer, read(file)).forEach(v -> problems.add(relative + ": " + v));
        }
        assertTrue(files > 40, "the core's sources must be found: " + files);
        assertEquals(List.of(), problems, "README's Layout says what each package may import");
    }

    @Test
    void providerModulesSpeakTheProviderSpiOnly() {
        Path functions = sourceRoot().resolve("../../../..").normalize();
        List<String> problems = new ArrayList<>();
        TreeSet<String> providerModules = new TreeSet<>();
        try (Stream<Path> modules = Files.list(functions)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                List<Path> sources = javaFiles(main);
                if (sources.stream().noneMatch(f -> code(read(f)).contains("implements ProviderCallbacks"))) {
                    continue;
                }
                providerModules.add(module.getFileName().toString());
                for (Path file : sources) {
                    String source = read(file);
                    providerModuleViolations(source).forEach(v -> problems.add(functions.relativize(file) + ": " + v));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(5, providerModules.size(), "the provider modules must be found: " + providerModules);
        assertEquals(List.of(), problems);
    }

    @Test
    void noFunctionWritesAQualifiedNameWhereAnImportWouldDo() {
        Path functions = sourceRoot().resolve("../../../..").normalize();
        List<String> problems = new ArrayList<>();
        List<Path> sources = javaFiles(functions).stream().filter(f -> f.toString().contains("/src/main/java/")).toList();
        for (Path file : sources) {
            inlineQualifiedNames(read(file)).forEach(n -> problems.add(functions.relativize(file) + ": " + n));
        }
        assertTrue(sources.size() > 80, "the functions' sources must be found: " + sources.size());
        assertEquals(List.of(), problems, "import the type (a name two types share may stay qualified)");
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        assertEquals(1, violations("payout", "package x;\nimport com.fasterxml.jackson.databind.JsonNode;\n").size());
        assertEquals(1, violations("payout", "package x;\nimport dev.payoutcallbacks.core.ledger.PayoutLedger;\n").size());
        assertEquals(1, violations("provider", "class A { software.amazon.awssdk.core.SdkBytes b; }").size(),
                "an inline qualified name counts as an import");
        assertEquals(1, violations("config", "import dev.payoutcallbacks.core.payout.Money;\n").size());
        assertEquals(1, violations("config", "import software.amazon.awssdk.services.dynamodb.DynamoDbClient;\n").size());
        assertEquals(1, violations("ledger", "import com.amazonaws.services.lambda.runtime.Context;\n").size());
        assertEquals(1, violations("ledger", "import static dev.payoutcallbacks.core.lambda.CallbackLog.NAMESPACE;\n").size());
        assertEquals(1, violations("lambda", "import dev.payoutcallbacks.slate.SlateCallbacks;\n").size(),
                "the core never names a provider");
        assertEquals(List.of(), violations("ledger", "import dev.payoutcallbacks.core.payout.Money;\n"
                + "import software.amazon.awssdk.services.dynamodb.model.AttributeValue;\nimport java.util.Map;\n"
                + "/** see dev.payoutcallbacks.core.lambda.CallbackReceiver */ class A { String s = \"com.amazonaws.x.Y\"; }"));
        assertEquals(List.of("java.util.Map"), inlineQualifiedNames("class A { java.util.Map<String, String> m; }"));
        assertEquals(List.of(), inlineQualifiedNames("import com.amazonaws.x.AttributeValue;\n"
                + "class A { software.amazon.y.AttributeValue v; }"), "two types of one name: one stays qualified");
        assertEquals(List.of(), inlineQualifiedNames("class A { String s = \"java.util.Map\"; /* java.util.List */ }"));
        assertEquals(1, providerModuleViolations("import dev.payoutcallbacks.core.ledger.PayoutLedger;\n").size());
        assertEquals(1, providerModuleViolations("package dev.payoutcallbacks.pivot;\n"
                + "import dev.payoutcallbacks.slate.SlateCallbacks;\nimport dev.payoutcallbacks.pivot.wire.Body;\n").size(),
                "a provider module names no other provider");
        assertEquals(1, providerModuleViolations("import " + PROVIDER_HANDLER_BASE + ";\nclass A {}\n").size(),
                "only a handler names the base function");
        assertEquals(List.of(), providerModuleViolations("import " + PROVIDER_HANDLER_BASE
                + ";\nclass H extends ProviderCallbackFunction {}\n"));
    }

    /** Inline qualified type names whose simple name clashes with nothing the file imports, declares or qualifies. */
    static List<String> inlineQualifiedNames(String source) {
        Names names = Names.of(source);
        Map<String, String> imported = new LinkedHashMap<>();
        names.imported().forEach(name -> imported.put(simpleName(name), name));
        Map<String, TreeSet<String>> qualified = new LinkedHashMap<>();
        names.inline().forEach(name -> qualified.computeIfAbsent(simpleName(name), k -> new TreeSet<>()).add(name));
        List<String> avoidable = new ArrayList<>();
        qualified.forEach((simple, same) -> {
            boolean clashes = same.size() > 1 || imported.containsKey(simple) && !same.contains(imported.get(simple))
                    || Pattern.compile("\\b(class|record|enum|interface)\\s+" + simple + "\\b")
                            .matcher(names.body()).find();
            if (!clashes) {
                avoidable.addAll(same);
            }
        });
        return avoidable;
    }

    static List<String> violations(String layer, String source) {
        List<String> problems = new ArrayList<>();
        for (String name : namesUsed(source)) {
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith(CORE + layer + ".")) {
                continue;
            }
            String only = ONLY_IN.entrySet().stream().filter(e -> name.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            boolean allowed = only != null ? only.equals(layer)
                    : MAY_IMPORT.get(layer).stream().anyMatch(name::startsWith);
            if (!allowed) {
                problems.add(layer + " must not import " + name);
            }
        }
        return problems;
    }

    static List<String> providerModuleViolations(String source) {
        boolean handler = code(source).contains("extends ProviderCallbackFunction");
        Matcher declared = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;").matcher(source);
        String own = declared.find() ? declared.group(1) + "." : "\0";
        List<String> problems = new ArrayList<>();
        for (String name : namesUsed(source)) {
            boolean allowed = name.startsWith("java.") || name.startsWith("javax.") || name.startsWith(own)
                    || PROVIDER_MODULE_MAY_IMPORT.stream().anyMatch(name::startsWith)
                    || handler && name.equals(PROVIDER_HANDLER_BASE);
            if (!allowed) {
                problems.add("a provider module must not import " + name);
            }
        }
        return problems;
    }

    /** Imported and inline-qualified names, comments and string literals left out. */
    static TreeSet<String> namesUsed(String source) {
        Names names = Names.of(source);
        TreeSet<String> used = new TreeSet<>(names.imported());
        used.addAll(names.inline());
        return used;
    }

    /** A source's imported names, its inline qualified names, and its code past the imports. */
    private record Names(List<String> imported, List<String> inline, String body) {
        static Names of(String source) {
            String code = code(source);
            List<String> imported = new ArrayList<>();
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                imported.add(imports.group(1));
            }
            String body = IMPORT.matcher(code).replaceAll("").replaceAll("(?m)^package\\s+[\\w.]+\\s*;", "");
            List<String> inline = new ArrayList<>();
            Matcher qualified = INLINE.matcher(body);
            while (qualified.find()) {
                inline.add(qualified.group(1));
            }
            return new Names(imported, inline, body);
        }
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    private static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\n])*\"", "\"\"");
    }

    private static Path sourceRoot() {
        Path root = Path.of("src/main/java").toAbsolutePath();
        assertTrue(Files.isDirectory(root.resolve("dev/payoutcallbacks/core")), "run from functions/core: " + root);
        return root;
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
