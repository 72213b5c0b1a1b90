# Sourced by bench/*: compiles the tests and writes their classpath to target/bench-classpath.txt.
# Offline when ~/.m2 already has everything; online on first use (a fresh clone or machine).
# MVN_FLAGS, when set, is used as it is instead (e.g. MVN_FLAGS=-o to never go online).
bench_classpath() {
    local goals=(-B -q test-compile dependency:build-classpath
        -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test)
    if [ -n "${MVN_FLAGS+set}" ]; then
        # shellcheck disable=SC2086  # MVN_FLAGS may hold several flags
        mvn $MVN_FLAGS "${goals[@]}"
    elif ! mvn -o "${goals[@]}" >/dev/null 2>&1; then
        echo "bench: fetching what the build needs from Maven Central (first use)" >&2
        mvn "${goals[@]}"
    fi
}
