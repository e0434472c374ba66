package dev.payoutcallbacks.publisher;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.SdkClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The failure bucket: the stream mapping's on-failure destination, which Lambda and the publisher both write to. */
final class S3FailedBatchStore implements FailedBatchStore {
    private final S3Client s3;
    private final String bucket;

    S3FailedBatchStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** S3_ENDPOINT (tests, LocalStack) and AWS_REGION from the environment; the client is built once. */
    static S3FailedBatchStore fromEnvironment(FunctionEnvironment env, String bucket) {
        var builder = SdkClients.configured(S3Client.builder(), env, "S3_ENDPOINT", Duration.ofSeconds(15),
                Duration.ofSeconds(5));
        if (env.get("S3_ENDPOINT") != null) {
            builder.forcePathStyle(true); // a local stand-in has no per-bucket host names
        }
        return new S3FailedBatchStore(builder.build(), bucket);
    }

    @Override
    public void put(String key, byte[] json) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(json));
    }

    @Override
    public List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
            for (S3Object o : page.contents()) {
                keys.add(o.key());
            }
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket;
    }
}
