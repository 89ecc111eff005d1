package dev.huddle.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UnixHttpTest {
    private static UnixHttp.Response parse(String s) {
        return UnixHttp.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aCompleteAnswerHasItsStatusHeadersAndBody() {
        UnixHttp.Response r = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Huddle-Handled-Us: 751\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("x-huddle-handled-us", "751");
        assertThat(r.bodyText()).isEqualTo("{}");
    }

    @Test
    void tornOrLengthlessAnswersAreNotAnswers() {
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}")).isNull();
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n")).isNull();
        assertThat(parse("HTTP/1.1 200 OK\r\n\r\n{}")).isNull();
        assertThat(parse("garbage\r\n\r\n")).isNull();
        assertThat(parse("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(503);
    }
}
