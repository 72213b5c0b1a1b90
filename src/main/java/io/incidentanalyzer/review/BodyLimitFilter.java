package io.incidentanalyzer.review;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Refuses request bodies over the limit with 413 before anything reads them into memory. Javalin
 * checks {@code Content-Length} only; a chunked body has none, so this reads at most the limit plus
 * one byte of it, answers 413 past that, and otherwise hands the buffered body on.
 */
final class BodyLimitFilter implements Filter {
    private final int limit;

    BodyLimitFilter(int limit) {
        this.limit = limit;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            refuse((HttpServletResponse) response);
            return;
        }
        if (declared < 0 && req.getHeader("Transfer-Encoding") != null) {
            byte[] body = req.getInputStream().readNBytes(limit + 1);
            if (body.length > limit) {
                refuse((HttpServletResponse) response);
                return;
            }
            chain.doFilter(new Buffered(req, body), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse res) throws IOException {
        RequestGuard.HEADERS.forEach(res::setHeader);
        // The rest of the body is never read: the connection ends with this answer.
        res.setHeader("Connection", "close");
        res.setStatus(413);
        res.setContentType("text/plain; charset=utf-8");
        res.getWriter().write("request body larger than " + limit + " bytes");
    }

    /** The request with its body already read. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String cs = getCharacterEncoding();
            return new BufferedReader(
                    new InputStreamReader(
                            getInputStream(),
                            cs == null
                                    ? StandardCharsets.UTF_8
                                    : java.nio.charset.Charset.forName(cs)));
        }
    }
}
