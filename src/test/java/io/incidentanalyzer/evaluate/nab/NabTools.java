package io.incidentanalyzer.evaluate.nab;

import java.nio.file.Path;

/**
 * What the NAB diagnosis mains ({@link NabSensitivity}, {@link NabWindows}, {@link NabCategories},
 * {@link NabHeldOut}) share: the corpus folder from the first argument (default: the working
 * directory), with its warnings on stderr. Run any of them with:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.incidentanalyzer.evaluate.nab.NabCategories /work/shared/benchmarks/nab
 * </pre>
 */
final class NabTools {
    private NabTools() {}

    /** The category (corpus folder) of a corpus-relative name: realTweets, realKnownCause, ... */
    static String category(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    static NabCorpus corpus(String[] args) {
        return NabCorpus.open(
                Path.of(args.length > 0 ? args[0] : "."),
                warning -> System.err.println("warning: " + warning));
    }
}
