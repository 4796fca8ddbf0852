package dev.parley.standalone;

import dev.parley.protocol.FuzzCases;
import dev.parley.support.LogProblems;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fuzz run against the standalone server, in this JVM, so its log is read too. */
class FuzzedConnectionTest extends FuzzCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    @RegisterExtension
    final LogProblems log = new LogProblems();

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected List<String> serverLogProblems() {
        return log.recorded();
    }
}
