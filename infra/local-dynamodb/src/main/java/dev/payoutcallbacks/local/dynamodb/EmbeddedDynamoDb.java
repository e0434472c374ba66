package dev.payoutcallbacks.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS's DynamoDB Local engine running inside this JVM, reached over HTTP on loopback exactly as the
 * Lambda functions reach DynamoDB. In memory by default; on disk when given a directory.
 *
 * <p>Listens on 127.0.0.1 only, and with {@code -sharedDb}: without it DynamoDB Local keeps one database per
 * access key and region, so a client with other credentials (each function process has its own) sees no table.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private static EmbeddedDynamoDb shared;
    /** DynamoDB Local's bundled SDK v1 warns through java.util.logging at its first call (JAXB); kept referenced. */
    private static final Logger SDK_V1_LOG = Logger.getLogger("com.amazonaws");

    static {
        SDK_V1_LOG.setLevel(Level.SEVERE);
    }

    private final DynamoDBProxyServer server;
    private final String endpoint;
    private final DynamoDbClient client;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, String endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.client = client(endpoint);
    }

    /**
     * Starts the engine.
     *
     * @param port    loopback port; 0 picks a free one
     * @param dataDir null for in-memory; otherwise the directory that keeps the data between runs
     */
    public static EmbeddedDynamoDb start(int port, Path dataDir) {
        int chosen = port == 0 ? freePort() : port;
        List<String> args = new ArrayList<>(List.of("-disableTelemetry", "-sharedDb", "-port", Integer.toString(chosen)));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            bindToLoopback(server);
            server.start();
            return new EmbeddedDynamoDb(server, "http://127.0.0.1:" + chosen);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosen + ": " + e.getMessage(), e);
        }
    }

    /** One in-memory engine per test JVM (starting one costs about a second). */
    public static synchronized EmbeddedDynamoDb shared() {
        if (shared == null) {
            shared = start(0, null);
        }
        return shared;
    }

    /** A new, empty table with the definition of {@code logicalId} in template.yaml; returns its name. */
    public String freshTable(SamTemplate template, String logicalId) {
        String name = logicalId + "-" + UUID.randomUUID().toString().substring(0, 8);
        TemplateTables.create(client, template, logicalId, name);
        return name;
    }

    public String endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    public static DynamoDbClient client(String endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void close() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort; the JVM is about to end
        }
    }

    /**
     * DynamoDB Local has no host option: its Jetty connector would listen on every interface. Set the connector's
     * host before start (the server is private to DynamoDBProxyServer, hence the reflective read).
     */
    private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector network) {
                network.setHost("127.0.0.1");
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
