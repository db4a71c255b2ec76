// A Neo4j Community 5 server for people with Java and no Neo4j: the embedded database with
// its Bolt connector on 127.0.0.1 only, authentication on, and no reach beyond the database:
// LOAD CSV may read neither files (file URLs off, import folder an empty one) nor URLs (every
// address blocked), and the dbms.* procedures are gone (no dbms.listConfig and the like).
// Usage: KgNeo4jServer HOME PORT PASSWORD_FILE [PAGECACHE]; HOME/server.ready appears when it is ready.
// The password is read from PASSWORD_FILE (never from the command line, which other users can
// read in /proc) and made the password of the user neo4j.
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import inet.ipaddr.IPAddressString;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.kernel.api.procs.QualifiedName;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.api.QueryLanguage;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public class KgNeo4jServer {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = Files.readString(Path.of(args[2])).strip();
        String pagecache = args.length > 3 ? args[3] : "512m";
        // the most memory one transaction may take ("0": only the heap-wide limit, 70% of the heap)
        String txMemory = args.length > 4 ? args[4] : "0";
        if (password.length() < 8) {
            throw new IllegalArgumentException("the password file holds no usable password: " + args[2]);
        }
        Path emptyImport = home.resolve("import-none");
        Files.createDirectories(emptyImport);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, emptyImport)
                .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("db.*"))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.parse(txMemory))
                // LOAD CSV FROM 'http://…' would make the server fetch any address: block them all
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                           List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        setPassword(dbms, password);
        dropDbmsProcedures(dbms);
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);   // fail now if it cannot start
        // ready only now: the port opened while the procedures were still there
        Files.writeString(home.resolve("server.ready"), ProcessHandle.current().pid() + "\n");
        System.out.println("kg-neo4j ready bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    // dbms.listConfig, dbms.listConnections, dbms.info and the like tell a caller about the
    // machine and its other sessions; the allowlist setting only filters plugins, so the built-in
    // dbms.* procedures are unregistered (routing ones stay: neo4j:// drivers ask for a table).
    private static void dropDbmsProcedures(DatabaseManagementService dbms) {
        var api = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        GlobalProcedures procedures = api.getDependencyResolver().resolveDependency(GlobalProcedures.class);
        Set<QualifiedName> names = new HashSet<>();
        for (QueryLanguage language : QueryLanguage.ALL) {
            procedures.getCurrentView().getAllProcedures(language).forEach(sig -> names.add(sig.name()));
        }
        for (QualifiedName name : names) {
            String full = name.toString();
            if (full.startsWith("dbms.") && !full.startsWith("dbms.routing.") && !full.startsWith("dbms.cluster.routing.")) {
                procedures.unregister(name);
            }
        }
    }

    // The embedded API runs with full rights on the system database: the password in the file
    // becomes neo4j's (once; on later starts it is already the same and nothing changes).
    private static void setPassword(DatabaseManagementService dbms, String password) {
        var system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
            if (!msg.contains("same")) {
                throw e;
            }
        }
    }
}
