package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

public class KeycloakDecoderTest {

    /** Keycloak's Event as a Kafka event listener serializes it. */
    public static final String JSON_EVENT =
            "{\"id\":\"00435000-25cf-4fda-a8ef-a53d9ebab77f\",\"time\":1708072380123,"
                    + "\"type\":\"REFRESH_TOKEN_ERROR\",\"realmId\":\"prod\",\"clientId\":"
                    + "\"mobile-app\",\"userId\":\"cdf56084-83c7-46fa-ae4a-1a2da352071e\","
                    + "\"sessionId\":\"c3be023a-8e3d-4d84-a745-413ff3565f06\",\"ipAddress\":"
                    + "\"10.0.0.7\",\"error\":\"invalid_token\",\"details\":{\"grant_type\":"
                    + "\"refresh_token\",\"client_auth_method\":\"client-secret\"}}";

    /** jboss-logging, Keycloak 22+ (quoted values), default console format. */
    public static final String PLAIN_QUOTED =
            "2024-02-16 08:33:00,123 DEBUG [org.keycloak.events] (executor-thread-88)"
                    + " type=\"REFRESH_TOKEN\", realmId=\"prod\", realmName=\"prod\","
                    + " clientId=\"mobile-app\", userId=\"u-17\", sessionId=\"s-99\","
                    + " ipAddress=\"10.0.0.7\", token_id=\"onrtrt:9962\","
                    + " grant_type=\"refresh_token\", scope=\"openid email profile\"";

    /** jboss-logging before Keycloak 22 (unquoted values, null for none). */
    public static final String PLAIN_UNQUOTED =
            "2024-02-16 08:33:00,123 WARN  [org.keycloak.events] (default task-3)"
                    + " type=REFRESH_TOKEN_ERROR, realmId=prod, clientId=mobile-app,"
                    + " userId=null, ipAddress=10.0.0.7, error=invalid_token,"
                    + " grant_type=refresh_token";

    /** The same event in Keycloak's JSON console log. */
    public static final String JSON_LOG =
            "{\"timestamp\":\"2024-02-16T08:33:00.123456789Z\",\"sequence\":2607,"
                + "\"loggerClassName\":\"org.jboss.logging.Logger\",\"loggerName\":"
                + "\"org.keycloak.events\",\"level\":\"DEBUG\",\"message\":\"type=\\\"LOGOUT\\\","
                + " realmId=\\\"prod\\\", clientId=\\\"web-app\\\", userId=\\\"u-17\\\","
                + " sessionId=\\\"s-99\\\", ipAddress=\\\"10.0.0.7\\\","
                + " redirect_uri=\\\"https://x/?a=1,b=2\\\"\","
                + "\"threadName\":\"executor-thread-88\",\"hostName\":\"keycloak-0\"}";

    private final KeycloakJsonDecoder json = new KeycloakJsonDecoder("keycloak", 65536);
    private final KeycloakLogDecoder log = new KeycloakLogDecoder("keycloak", 65536);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Decoded one(FormatDecoder d, String s) {
        List<Decoded> out = d.decodeAll("a", 0, 0, utf8(s));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aKafkaListenerEventBecomesATokenEventOfKeycloak() {
        AuthEvent e = one(json, JSON_EVENT).auth();

        assertThat(e.ts()).isEqualTo(1708072380123L);
        assertThat(e.service()).isEqualTo("keycloak");
        assertThat(e.type()).isEqualTo(AuthEventType.REFRESH_ERROR);
        assertThat(e.clientId()).isEqualTo("mobile-app");
        assertThat(e.sessionId()).isEqualTo("c3be023a-8e3d-4d84-a745-413ff3565f06");
        assertThat(e.ip()).isEqualTo("10.0.0.7");
        assertThat(e.outcome()).isEqualTo("error");
        assertThat(e.error()).isEqualTo("invalid_token");
    }

    @Test
    void tokenIssuingEventsAreLoginsAndABrowserLoginIsNotCountedTwice() {
        assertThat(
                        one(json, JSON_EVENT.replace("REFRESH_TOKEN_ERROR", "CODE_TO_TOKEN"))
                                .auth()
                                .type())
                .isEqualTo(AuthEventType.LOGIN);
        assertThat(one(json, JSON_EVENT.replace("REFRESH_TOKEN_ERROR", "LOGIN")).auth().type())
                .isEqualTo(AuthEventType.LOGIN);
        Decoded browser =
                one(
                        json,
                        JSON_EVENT
                                .replace("REFRESH_TOKEN_ERROR", "LOGIN")
                                .replace("\"grant_type\"", "\"response_type\":\"code\",\"x\""));
        assertThat(browser.rejected().reason()).isEqualTo(RejectReason.NOT_ANALYSED);
        assertThat(
                        one(json, JSON_EVENT.replace("REFRESH_TOKEN_ERROR", "INTROSPECT_TOKEN"))
                                .auth()
                                .type())
                .isEqualTo(AuthEventType.VERIFY);
    }

    @Test
    void eventTypesWithoutATokenEventAreNotAnalysedDeadLetters() {
        Decoded d = one(json, JSON_EVENT.replace("REFRESH_TOKEN_ERROR", "UPDATE_PROFILE"));

        assertThat(d.rejected().reason()).isEqualTo(RejectReason.NOT_ANALYSED);
        assertThat(d.rejected().detail()).contains("UPDATE_PROFILE");
        assertThat(
                        one(json, "{\"time\":1708072380123,\"operationType\":\"UPDATE\"}")
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.NOT_ANALYSED);
    }

    @Test
    void readsQuotedAndUnquotedLogLinesAndTheJsonConsoleLog() {
        AuthEvent quoted = one(log, PLAIN_QUOTED).auth();
        assertThat(quoted.ts()).isEqualTo(1708072380123L);
        assertThat(quoted.type()).isEqualTo(AuthEventType.REFRESH);
        assertThat(quoted.clientId()).isEqualTo("mobile-app");
        assertThat(quoted.sessionId()).isEqualTo("s-99");

        AuthEvent unquoted = one(log, PLAIN_UNQUOTED).auth();
        assertThat(unquoted.type()).isEqualTo(AuthEventType.REFRESH_ERROR);
        assertThat(unquoted.userId()).isNull();
        assertThat(unquoted.error()).isEqualTo("invalid_token");

        AuthEvent wrapped = one(log, JSON_LOG).auth();
        assertThat(wrapped.type()).isEqualTo(AuthEventType.LOGOUT);
        assertThat(wrapped.clientId()).isEqualTo("web-app");
        assertThat(wrapped.ts()).isEqualTo(1708072380123L);
    }

    @Test
    void otherLogLinesAreNotAnalysedAndGarbageIsMalformed() {
        assertThat(
                        one(
                                        log,
                                        "2024-02-16 08:33:00,123 INFO  [io.quarkus] (main) Keycloak"
                                                + " 24.0.1 started in 9.1s")
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.NOT_ANALYSED);
        assertThat(one(log, "type=LOGIN without a time").rejected().reason())
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(
                        one(
                                        log,
                                        "2024-02-16 08:00:30,000 DEBUG [org.keycloak.events] (t)"
                                                + " type=\"LOGIN, clientId=web")
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.MALFORMED);
    }

    @Test
    void mutatedEventsNeverThrowAndAlwaysGiveAReason() {
        DecoderFuzz.Result j = DecoderFuzz.run(json, List.of(utf8(JSON_EVENT)), 51L, 3000);
        DecoderFuzz.Result l =
                DecoderFuzz.run(
                        log,
                        List.of(utf8(PLAIN_QUOTED), utf8(PLAIN_UNQUOTED), utf8(JSON_LOG)),
                        52L,
                        3000);
        DecoderFuzz.assertRejectsGarbage(json, 53L);
        DecoderFuzz.assertRejectsGarbage(log, 54L);

        for (DecoderFuzz.Result r : List.of(j, l)) {
            assertThat(r.events()).isPositive();
            assertThat(r.rejections()).isPositive();
        }
    }
}
