package io.phoneotp.keycloak.it;

import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.remote.timeoffset.InjectTimeOffSet;
import org.keycloak.testframework.remote.timeoffset.TimeOffSet;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same code page posted many times at once, as a script can: the tries on a code, the codes a
 * sign-in may send and the single use of a code hold however many requests run together.
 */
@KeycloakIntegrationTest(config = PhoneOtpServerConfig.class)
class ParallelRequestsTest extends PhoneOtpTestBase {

    private static final String LOGIN = RawVisitor.LOGIN;
    private static final int AT_ONCE = 12;

    @InjectTimeOffSet
    TimeOffSet timeOffSet;

    private static RawVisitor signIn(String username) {
        return new RawVisitor().open(LOGIN).submit("kc-form-login", Map.of("username", username, "password", username + "-password"));
    }

    @Test
    void wrongCodesPostedAtOnceAreCheckedNoMoreThanMaxAttemptsTimes() {
        RawVisitor attacker = signIn("carol");
        String code = twilio.lastMessageTo("+14155552672").code();

        attacker.submitAtOnce("phone-otp-form", Map.of("code", code.equals("000000") ? "111111" : "000000"), AT_ONCE);

        String carol = userId("carol");
        long checked = eventsOfThisTest().stream().filter(e -> carol.equals(e.getUserId()))
                .filter(e -> "invalid_code".equals(e.getDetails().get("phone_otp_error"))).count();
        assertTrue(checked >= 1 && checked <= 3, "codes checked: " + checked + " of " + AT_ONCE + " (maxAttempts 3)");
    }

    @Test
    void theRightCodePostedAtOnceSignsInOnce() {
        RawVisitor attacker = signIn("erin");
        String code = twilio.lastMessageTo("+14155552673").code();

        List<HttpResponse<String>> answers = attacker.submitAtOnce("phone-otp-form", Map.of("code", code), AT_ONCE);

        long signIns = answers.stream().filter(a -> a.headers().firstValue("location").orElse("").matches(".*/callback\\?.*code=.*")).count();
        assertEquals(1, signIns, "a code works once: " + answers.stream().map(HttpResponse::statusCode).toList());
    }

    @Test
    void resendsPostedAtOnceSendNoMoreThanMaxSends() {
        smsStepConfig(Map.of("resendCooldownSeconds", "0", "maxSends", "3"));
        RawVisitor attacker = signIn("ivan");

        attacker.submitAtOnce("phone-otp-form", Map.of("resend", "true"), AT_ONCE);

        int sent = twilio.messagesTo("+14155552677").size();
        assertTrue(sent >= 2 && sent <= 3, "codes sent: " + sent + " (maxSends 3)");
    }

    @Test
    void freshSignInsAtOnceSendExactlyTheHourlyLimitToOneNumber() throws Exception {
        createUser("burst", "+14155550142");
        policy(Map.of("maxSendsPerNumberPerHour", 4));

        signInAtOnce(IntStream.range(0, AT_ONCE).mapToObj(i -> "burst").toList());

        assertEquals(4, twilio.messagesTo("+14155550142").size(), "codes sent by " + AT_ONCE + " sign-ins at once (limit 4)");
        String burst = userId("burst");
        long refused = eventsOfThisTest().stream().filter(e -> burst.equals(e.getUserId()))
                .filter(e -> "number".equals(e.getDetails().get("phone_otp_reason"))).count();
        assertEquals(AT_ONCE - 4, refused, "refusals by the per-number limit");
    }

    @Test
    void signInsOfDifferentUsersAtOnceNeverExceedTheRealmBudget() throws Exception {
        for (int i = 0; i < AT_ONCE; i++) {
            createUser("budget" + i, "+1206555" + (1100 + i));
        }
        policy(Map.of("maxSendsPerRealmPerHour", 3));
        timeOffSet.set(2 * 3600); // an hour in which this realm has sent nothing yet
        try {
            signInAtOnce(IntStream.range(0, AT_ONCE).mapToObj(i -> "budget" + i).toList());
        } finally {
            timeOffSet.set(0);
        }

        long texts = twilio.requests().stream().filter(r -> r.to() != null && r.to().startsWith("+1206555")).count();
        assertEquals(3, texts, "codes sent by " + AT_ONCE + " users signing in at once (realm budget 3)");
    }

    /** Fresh sign-ins, one per username, their password forms posted at the same moment. */
    private static void signInAtOnce(List<String> usernames) throws Exception {
        List<RawVisitor> visitors = usernames.stream().map(u -> new RawVisitor().open(LOGIN)).toList();
        ExecutorService threads = Executors.newFixedThreadPool(usernames.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<RawVisitor>> answers = new ArrayList<>();
            for (int i = 0; i < usernames.size(); i++) {
                RawVisitor visitor = visitors.get(i);
                String name = usernames.get(i);
                answers.add(threads.submit(() -> {
                    start.await();
                    return visitor.submit("kc-form-login", Map.of("username", name, "password", name + "-password"));
                }));
            }
            start.countDown();
            for (Future<RawVisitor> answer : answers) {
                answer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
