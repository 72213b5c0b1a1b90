package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host names the review service answers to (requests themselves: ReviewServiceIT). */
class RequestGuardTest {
    @Test
    void onLoopbackTheLoopbackNamesTheBindAddressAndTheGivenNames() {
        assertThat(RequestGuard.allowed("::1", true, List.of("Review.Example.com")))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "[::1]", "review.example.com");
    }

    @Test
    void elsewhereOnlyTheBindAddressAndTheGivenNames() {
        assertThat(
                        RequestGuard.allowed(
                                "0.0.0.0", false, List.of("review.example.com", "[fd00::1]")))
                .containsExactlyInAnyOrder("0.0.0.0", "review.example.com", "[fd00::1]");
    }

    @Test
    void aNameWithAPortOrSchemeIsRefusedAtStart() {
        for (String bad :
                List.of("review.example.com:443", "https://review.example.com", "fd00::1", " ")) {
            assertThatThrownBy(() -> RequestGuard.allowed("127.0.0.1", true, List.of(bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("review --allowed-host " + bad + ": give a host name");
        }
    }
}
