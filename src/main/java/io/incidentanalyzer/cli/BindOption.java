package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.embedded.LocalCluster;
import java.net.InetAddress;
import java.net.NetworkInterface;
import picocli.CommandLine.Option;

/** {@code --bind ADDRESS}: where the commands that run the job on this machine listen. */
final class BindOption {
    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = LocalCluster.LOOPBACK,
            description =
                    "Address that every listener binds to: Flink's REST API, blob and RPC ports,"
                            + " the metrics endpoint and, in the demo, the embedded broker and"
                            + " the review pages (default: ${DEFAULT-VALUE}). Any other address"
                            + " opens them to the network; docs/operations.md lists each port.")
    String address;

    /** The address, checked to be one of this machine's (or the wildcard 0.0.0.0 or ::). */
    String address() {
        try {
            InetAddress a = InetAddress.getByName(address);
            if (a.isAnyLocalAddress()
                    || a.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(a) != null) {
                return a.getHostAddress();
            }
        } catch (java.io.IOException e) {
            // reported below
        }
        throw new ConfigException(
                "--bind "
                        + address
                        + ": not an address of this machine; give one of its addresses, e.g."
                        + " --bind 127.0.0.1 (the default)");
    }
}
