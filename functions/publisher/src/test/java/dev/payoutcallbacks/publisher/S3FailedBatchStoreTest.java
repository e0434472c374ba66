package dev.payoutcallbacks.publisher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.payoutcallbacks.core.config.FunctionEnvironment;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The failure bucket through the real S3 client (url-connection, path style against an endpoint override) and
 * a loopback S3 that keeps objects in memory: PutObject (what the publisher does), then what the redrive does —
 * ListObjectsV2 under a prefix, GetObject, HeadObject of a marker that is not there.
 */
class S3FailedBatchStoreTest {

    @Test
    void parksListsReadsAndChecksObjectsInTheBucket() throws Exception {
        Map<String, byte[]> objects = new TreeMap<>();
        HttpServer s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s3.createContext("/", exchange -> {
            String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            byte[] out = new byte[0];
            int status = 200;
            if (!path.startsWith("/failures")) {
                status = 404;
            } else if ("PUT".equals(exchange.getRequestMethod())) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                objects.put(path.substring("/failures/".length()), encoding != null && encoding.contains("aws-chunked")
                        ? unchunk(body) : body);
                exchange.getResponseHeaders().add("ETag", "\"etag\"");
            } else if ("GET".equals(exchange.getRequestMethod()) && query != null && query.contains("list-type=2")) {
                String prefix = URLDecoder.decode(query.replaceAll(".*prefix=([^&]*).*", "$1"), StandardCharsets.UTF_8);
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>"
                        + "<Name>failures</Name><IsTruncated>false</IsTruncated>");
                objects.keySet().stream().filter(k -> k.startsWith(prefix))
                        .forEach(k -> xml.append("<Contents><Key>").append(k).append("</Key></Contents>"));
                out = xml.append("</ListBucketResult>").toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/xml");
            } else {
                byte[] object = objects.get(path.substring("/failures/".length()));
                if (object == null) {
                    status = 404;
                } else if ("GET".equals(exchange.getRequestMethod())) {
                    out = object;
                }
            }
            if ("HEAD".equals(exchange.getRequestMethod()) || out.length == 0) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, out.length);
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        s3.start();
        try {
            FailedBatchStore store = FailedBatchStore.fromEnvironment(new FunctionEnvironment(Map.of(
                    "FAILED_BATCHES_BUCKET", "failures",
                    "S3_ENDPOINT", "http://127.0.0.1:" + s3.getAddress().getPort(),
                    "AWS_REGION", "us-east-1")));
            assertTrue(store instanceof S3FailedBatchStore);
            byte[] record = "{\"requestContext\":{\"condition\":\"PoisonRecord\"},\"payload\":\"{}\"}"
                    .getBytes(StandardCharsets.UTF_8);
            store.put("parked/2026/12/01/a.json", record);
            store.put("aws/lambda/esm/shard/2026/12/01/b", record);
            assertArrayEquals(record, objects.get("parked/2026/12/01/a.json"), "the object as stored is the record");
            assertEquals(List.of("parked/2026/12/01/a.json"), store.keys("parked/"));
            assertArrayEquals(record, store.get("parked/2026/12/01/a.json"));
            assertTrue(store.exists("parked/2026/12/01/a.json"));
            assertFalse(store.exists("redriven/parked/2026/12/01/a.json"));
            assertEquals("s3://failures", store.describe());
        } finally {
            s3.stop(0);
        }
    }

    /** The body of an aws-chunked upload (hex size;ext CRLF data CRLF ... 0 CRLF trailers). */
    private static byte[] unchunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = i;
            while (body[lineEnd] != '\r') {
                lineEnd++;
            }
            String header = new String(body, i, lineEnd - i, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
