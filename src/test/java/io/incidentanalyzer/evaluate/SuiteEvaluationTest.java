package io.incidentanalyzer.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteEvaluationTest {

    @Test
    void theFirstSeedIsTheScenariosOwnAndTheOthersAreDerivedFromIt() {
        List<Long> seeds = SuiteEvaluation.seeds(402, 3);

        assertThat(seeds).hasSize(3).startsWith(402L).doesNotHaveDuplicates();
        assertThat(seeds).allMatch(s -> s >= 0);
        assertThat(SuiteEvaluation.seeds(402, 3))
                .as("same first seed, same seeds")
                .isEqualTo(seeds);
        assertThat(SuiteEvaluation.seeds(402, 1)).containsExactly(402L);
        assertThat(SuiteEvaluation.seeds(402, 5)).startsWith(seeds.toArray(Long[]::new));
    }

    @Test
    void neighbouringFirstSeedsDeriveUnrelatedSeeds() {
        List<Long> a = SuiteEvaluation.seeds(402, 3);
        List<Long> b = SuiteEvaluation.seeds(403, 3);

        var derived = new HashSet<>(a.subList(1, 3));
        derived.addAll(b.subList(1, 3));
        assertThat(derived).hasSize(4);
        assertThat(Math.abs(a.get(1) - b.get(1))).as("not a shifted copy").isGreaterThan(1000);
    }

    @Test
    void negativeFirstSeedStillDerivesNonNegativeSeeds() {
        assertThat(SuiteEvaluation.seeds(-1, 3)).startsWith(-1L).doesNotHaveDuplicates();
        assertThat(SuiteEvaluation.seeds(-1, 3).subList(1, 3)).allMatch(s -> s >= 0);
    }

    @Test
    void aSuiteIsItsScenarioFilesAndThoseOfItsSystemFoldersButNotTraffic(@TempDir Path dir)
            throws IOException {
        Files.createDirectories(dir.resolve("traffic"));
        Files.createDirectories(dir.resolve("shop/traffic"));
        for (String f :
                List.of(
                        "b.yaml",
                        "a.yaml",
                        "notes.txt",
                        "traffic/seed.yaml",
                        "shop/z.yaml",
                        "shop/c.yaml",
                        "shop/traffic/shop.yaml")) {
            Files.writeString(dir.resolve(f), "name: x\n");
        }

        assertThat(SuiteEvaluation.scenarios(dir))
                .extracting(p -> dir.relativize(p).toString().replace('\\', '/'))
                .containsExactly("a.yaml", "b.yaml", "shop/c.yaml", "shop/z.yaml");
    }

    @Test
    void anEmptySuiteOrNoSeedsIsAnError(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("traffic"));
        Files.writeString(dir.resolve("traffic/t.yaml"), "sessions: 1\n");

        assertThatThrownBy(() -> SuiteEvaluation.scenarios(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("holds no scenario");
        PrintWriter log = new PrintWriter(new StringWriter());
        assertThatThrownBy(() -> new SuiteEvaluation(null, 0, 1, null, log))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--seeds 0");
    }
}
