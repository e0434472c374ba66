package dev.payoutcallbacks.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * template.yaml read as data, so the local run and the tests use what will be deployed instead of a
 * second, hand-kept list. CloudFormation short-form tags (!Ref, !Sub, !GetAtt) are read as their scalar.
 */
public final class SamTemplate {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path path;
    private final JsonNode root;

    private SamTemplate(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    public static SamTemplate load(Path path) {
        try {
            return new SamTemplate(path.toAbsolutePath().normalize(), YAML.readTree(path.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** template.yaml in the working directory or the nearest parent that has one. */
    public static SamTemplate find() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate)) {
                return load(candidate);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("template.yaml not found in " + Path.of("").toAbsolutePath() + " or above");
    }

    public Path path() {
        return path;
    }

    /** The directory holding template.yaml: the project root. */
    public Path projectDir() {
        return path.getParent();
    }

    public JsonNode root() {
        return root;
    }

    /** Resources of one type, by logical id, in template order. */
    public Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** A parameter's default value, or null. */
    public String parameterDefault(String name) {
        JsonNode d = root.path("Parameters").path(name).path("Default");
        return d.isMissingNode() ? null : d.asText();
    }
}
