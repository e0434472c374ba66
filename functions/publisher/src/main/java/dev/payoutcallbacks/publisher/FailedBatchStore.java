package dev.payoutcallbacks.publisher;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where stream records the publisher could not handle are kept until redriven: the stream mapping's on-failure
 * destination. In AWS an S3 bucket (Lambda writes there itself when a batch's retries or age run out, and the
 * publisher parks a poison record there before skipping it); locally a directory. Objects are JSON invocation
 * records ({@link FailedBatchRecord}); keys sort by time within a prefix.
 */
public interface FailedBatchStore {

    /** Stores one object; throws when it is not durably stored (the record is then not skipped). */
    void put(String key, byte[] json);

    /** Every key under the prefix, sorted. */
    List<String> keys(String prefix);

    byte[] get(String key);

    boolean exists(String key);

    /** Human-readable location, for logs and the redrive's summary. */
    String describe();

    /** The prefix of a FAILED_BATCHES_BUCKET that is a local directory instead (the local run). */
    String DIRECTORY_PREFIX = "file:";

    /**
     * FAILED_BATCHES_BUCKET: the bucket's name (the deployed setting; S3_ENDPOINT for tests), or {@code
     * file:<directory>} (the local run: infra/local-env.json); null when unset or empty (a poison record then
     * blocks its shard until the stream mapping gives up on it).
     */
    static FailedBatchStore fromEnvironment(FunctionEnvironment env) {
        String bucket = env.get("FAILED_BATCHES_BUCKET");
        if (bucket == null || bucket.isBlank()) {
            return null;
        }
        bucket = bucket.trim();
        if (bucket.startsWith(DIRECTORY_PREFIX)) {
            return new DirectoryStore(Path.of(bucket.substring(DIRECTORY_PREFIX.length())).toAbsolutePath());
        }
        return S3FailedBatchStore.fromEnvironment(env, bucket);
    }

    /** A local directory standing in for the bucket: one file per object, the key as its relative path. */
    final class DirectoryStore implements FailedBatchStore {
        private final Path root;

        public DirectoryStore(Path root) {
            this.root = root;
        }

        @Override
        public void put(String key, byte[] json) {
            try {
                Path target = file(key);
                Files.createDirectories(target.getParent());
                Path partial = target.resolveSibling(target.getFileName() + ".partial");
                Files.write(partial, json);
                // Whole or not at all, as an S3 PUT: a reader never sees half an object.
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot store " + key + " in " + root, e);
            }
        }

        @Override
        public List<String> keys(String prefix) {
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile)
                        .map(p -> root.relativize(p).toString().replace('\\', '/'))
                        .filter(k -> k.startsWith(prefix) && !k.endsWith(".partial"))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root, e);
            }
        }

        @Override
        public byte[] get(String key) {
            try {
                return Files.readAllBytes(file(key));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + key + " from " + root, e);
            }
        }

        @Override
        public boolean exists(String key) {
            return Files.isRegularFile(file(key));
        }

        @Override
        public String describe() {
            return root.toString();
        }

        private Path file(String key) {
            Path p = root.resolve(key).normalize();
            if (!p.startsWith(root.normalize())) {
                throw new IllegalArgumentException("key outside the store: " + key);
            }
            return p;
        }
    }
}
