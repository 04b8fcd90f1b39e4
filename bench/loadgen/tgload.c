// tgload: an HTTPS load client for admission webhooks, where every request can differ.
//
// It sends POST requests over HTTP/1.1 keep-alive, HTTP/2 (N streams per connection) or one request per new TLS
// connection, for a fixed time, and prints requests/s, latency percentiles, errors and its own CPU per request.
// Each request body is made from a template: every occurrence of the 10-character token `@@@@ID@@@@` is replaced by
// the request's number, zero-padded to 10 digits, so the length never changes and every request is distinct
// (`--pool N` cycles through N bodies instead; `--pool 1` sends one fixed body, as h2load does).
//
// Build: cc -O2 -o tgload tgload.c -lssl -lcrypto -lnghttp2 -lpthread
// Usage: tgload [--mode h1|h2|new] [-c CONNECTIONS] [-m STREAMS] [-D SECONDS] [-t THREADS] [--pool N] [--json]
//               [--latency-file FILE] --template FILE https://HOST:PORT/PATH
// --latency-file writes each successful request's latency in microseconds, one a line.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "@@@@ID@@@@"
#define TOKEN_LEN 10
#define IN_CAP (256 * 1024)

enum mode { MODE_H1, MODE_H2, MODE_NEW };

static struct {
    enum mode mode;
    int connections, streams, threads, json;
    double duration;
    uint64_t pool;
    char host[256], path[1024];
    int port;
    char *template;
    size_t template_len;
    size_t *tokens;
    int token_count;
    SSL_CTX *tls;
    uint64_t deadline_ns;
} config = {.mode = MODE_H1, .connections = 1, .streams = 1, .threads = 1, .duration = 10};

static _Atomic uint64_t next_id;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void die(const char *what) {
    fprintf(stderr, "tgload: %s\n", what);
    exit(2);
}

/// Latencies in microseconds, kept whole so that percentiles are exact.
typedef struct {
    uint32_t *values;
    size_t count, capacity;
} samples;

static void record(samples *s, uint64_t ns) {
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 65536;
        s->values = realloc(s->values, s->capacity * sizeof(uint32_t));
        if (!s->values) die("out of memory");
    }
    s->values[s->count++] = (uint32_t)(ns / 1000);
}

/// Fills `body` (template_len bytes) with the next request's body.
static void make_body(char *body) {
    uint64_t id = atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed);
    if (config.pool) id %= config.pool;
    char digits[TOKEN_LEN + 1];
    snprintf(digits, sizeof digits, "%010llu", (unsigned long long)(id % 10000000000ull));
    memcpy(body, config.template, config.template_len);
    for (int i = 0; i < config.token_count; i++) memcpy(body + config.tokens[i], digits, TOKEN_LEN);
}

struct worker;

/// One HTTP/2 stream slot: the body it sends and when it started.
typedef struct {
    char *body;
    size_t sent;
    uint64_t started;
    int status, busy;
} slot;

typedef struct {
    struct worker *worker;
    int fd, handshaken;
    uint32_t events;  // what epoll watches for now
    SSL *ssl;
    char *out;
    size_t out_len, out_sent, out_cap;
    char in[IN_CAP];
    size_t in_len;
    uint64_t started;  // of the request in flight (HTTP/1.1) or of the connection (new)
    int in_flight;
    nghttp2_session *session;
    slot *slots;
} connection;

typedef struct worker {
    int epoll, first, count;
    connection *connections;
    samples latencies;
    uint64_t succeeded, failed, errors;
    pthread_t thread;
} worker;

static void out_append(connection *c, const void *data, size_t length) {
    if (c->out_len + length > c->out_cap) {
        c->out_cap = (c->out_len + length) * 2;
        c->out = realloc(c->out, c->out_cap);
        if (!c->out) die("out of memory");
    }
    memcpy(c->out + c->out_len, data, length);
    c->out_len += length;
}

static void watch(connection *c, int op, uint32_t events) {
    if (op == EPOLL_CTL_MOD && c->events == events) return;
    c->events = events;
    struct epoll_event event = {.events = events, .data.ptr = c};
    if (epoll_ctl(c->worker->epoll, op, c->fd, &event) != 0) die("epoll_ctl failed");
}

static void open_connection(connection *c);

static void close_connection(connection *c) {
    if (c->session) nghttp2_session_del(c->session);
    c->session = NULL;
    if (c->ssl) SSL_free(c->ssl);
    c->ssl = NULL;
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->out_len = c->out_sent = c->in_len = 0;
    c->handshaken = c->in_flight = 0;
    if (c->slots)
        for (int i = 0; i < config.streams; i++) c->slots[i].busy = 0;
}

/// Drops a connection after an error, counting its requests in flight as errors, and opens a new one.
static void fail_connection(connection *c) {
    int lost = c->in_flight;
    if (c->slots)
        for (int i = 0; i < config.streams; i++) lost += c->slots[i].busy;
    c->worker->errors += lost ? lost : 1;
    close_connection(c);
    if (now_ns() < config.deadline_ns) open_connection(c);
}

static void h1_send_request(connection *c) {
    char head[1400];
    int length = snprintf(head, sizeof head,
                          "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n",
                          config.path, config.host, config.port, config.template_len,
                          config.mode == MODE_NEW ? "Connection: close\r\n" : "");
    out_append(c, head, (size_t)length);
    if (c->out_len + config.template_len > c->out_cap) {
        c->out_cap = (c->out_len + config.template_len) * 2;
        c->out = realloc(c->out, c->out_cap);
        if (!c->out) die("out of memory");
    }
    make_body(c->out + c->out_len);
    c->out_len += config.template_len;
    if (config.mode != MODE_NEW) c->started = now_ns();
    c->in_flight = 1;
}

static int flush(connection *c) {
    while (c->out_sent < c->out_len) {
        int n = SSL_write(c->ssl, c->out + c->out_sent, (int)(c->out_len - c->out_sent));
        if (n <= 0) {
            int error = SSL_get_error(c->ssl, n);
            if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
                watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
                return 0;
            }
            return -1;
        }
        c->out_sent += (size_t)n;
    }
    c->out_len = c->out_sent = 0;
    watch(c, EPOLL_CTL_MOD, EPOLLIN);
    return 0;
}

/// Takes whole responses off the front of `in`: -1 on a framing error, else 0.
static int h1_responses(connection *c) {
    for (;;) {
        char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
        if (!end) return c->in_len == IN_CAP ? -1 : 0;
        size_t head_length = (size_t)(end - c->in) + 4;
        if (c->in_len < 12 || memcmp(c->in, "HTTP/1.1 ", 9) != 0) return -1;
        int status = atoi(c->in + 9);
        long content_length = -1;
        for (char *line = memchr(c->in, '\n', head_length); line && line < end; line = memchr(line, '\n', (size_t)(end - line))) {
            line++;
            if (strncasecmp(line, "content-length:", 15) == 0) content_length = strtol(line + 15, NULL, 10);
        }
        if (content_length < 0) return -1;
        size_t total = head_length + (size_t)content_length;
        if (total > IN_CAP) return -1;
        if (c->in_len < total) return 0;
        memmove(c->in, c->in + total, c->in_len - total);
        c->in_len -= total;
        if (!c->in_flight) return -1;
        c->in_flight = 0;
        if (status == 200) {
            c->worker->succeeded++;
            record(&c->worker->latencies, now_ns() - c->started);
        } else {
            c->worker->failed++;
        }
        if (config.mode == MODE_NEW) {
            close_connection(c);
            if (now_ns() < config.deadline_ns) open_connection(c);
            return 1;
        }
        if (now_ns() < config.deadline_ns) h1_send_request(c);
    }
}

static ssize_t h2_read_body(nghttp2_session *session, int32_t stream, uint8_t *buffer, size_t length, uint32_t *flags,
                            nghttp2_data_source *source, void *user) {
    (void)session, (void)stream, (void)user;
    slot *s = source->ptr;
    size_t left = config.template_len - s->sent;
    if (length > left) length = left;
    memcpy(buffer, s->body + s->sent, length);
    s->sent += length;
    if (s->sent == config.template_len) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return (ssize_t)length;
}

static void h2_submit(connection *c, slot *s) {
    char length[24];
    snprintf(length, sizeof length, "%zu", config.template_len);
    char authority[300];
    snprintf(authority, sizeof authority, "%s:%d", config.host, config.port);
#define HEADER(n, v) {(uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, strlen(v), NGHTTP2_NV_FLAG_NONE}
    nghttp2_nv headers[] = {
        HEADER(":method", "POST"), HEADER(":scheme", "https"), HEADER(":authority", authority),
        HEADER(":path", config.path), HEADER("content-type", "application/json"), HEADER("content-length", length),
    };
#undef HEADER
    make_body(s->body);
    s->sent = 0;
    s->status = 0;
    s->busy = 1;
    s->started = now_ns();
    nghttp2_data_provider provider = {.source.ptr = s, .read_callback = h2_read_body};
    if (nghttp2_submit_request(c->session, NULL, headers, sizeof headers / sizeof headers[0], &provider, s) < 0)
        die("nghttp2_submit_request failed");
}

static int h2_on_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name, size_t name_length,
                        const uint8_t *value, size_t value_length, uint8_t flags, void *user) {
    (void)flags, (void)user, (void)value_length;
    slot *s = nghttp2_session_get_stream_user_data(session, frame->hd.stream_id);
    if (s && name_length == 7 && memcmp(name, ":status", 7) == 0) s->status = atoi((const char *)value);
    return 0;
}

static int h2_on_close(nghttp2_session *session, int32_t stream, uint32_t error_code, void *user) {
    connection *c = user;
    slot *s = nghttp2_session_get_stream_user_data(session, stream);
    if (!s || !s->busy) return 0;
    s->busy = 0;
    if (error_code != 0) {
        c->worker->errors++;
    } else if (s->status == 200) {
        c->worker->succeeded++;
        record(&c->worker->latencies, now_ns() - s->started);
    } else {
        c->worker->failed++;
    }
    if (now_ns() < config.deadline_ns) h2_submit(c, s);
    return 0;
}

static int h2_pump(connection *c) {
    for (;;) {
        const uint8_t *data;
        ssize_t n = nghttp2_session_mem_send(c->session, &data);
        if (n < 0) return -1;
        if (n == 0) break;
        out_append(c, data, (size_t)n);
    }
    return flush(c);
}

static void h2_start(connection *c) {
    nghttp2_session_callbacks *callbacks;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, h2_on_header);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, h2_on_close);
    nghttp2_session_client_new(&c->session, callbacks, c);
    nghttp2_session_callbacks_del(callbacks);
    nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}, {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 24}};
    nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings, 2);
    nghttp2_submit_window_update(c->session, NGHTTP2_FLAG_NONE, 0, (1 << 24) - 65535);
    for (int i = 0; i < config.streams; i++) h2_submit(c, &c->slots[i]);
}

static void open_connection(connection *c) {
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) die("socket failed");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)config.port)};
    if (inet_pton(AF_INET, config.host, &address.sin_addr) != 1) die("the host must be an IPv4 address");
    if (connect(c->fd, (struct sockaddr *)&address, sizeof address) != 0 && errno != EINPROGRESS) die("connect failed");
    c->ssl = SSL_new(config.tls);
    SSL_set_fd(c->ssl, c->fd);
    SSL_set_connect_state(c->ssl);
    if (config.mode == MODE_NEW) c->started = now_ns();
    watch(c, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT);
}

/// Moves one connection on after epoll said it is ready.
static void drive(connection *c) {
    if (c->fd < 0) return;  // closed by an earlier event of the same batch
    if (!c->handshaken) {
        int n = SSL_do_handshake(c->ssl);
        if (n != 1) {
            int error = SSL_get_error(c->ssl, n);
            if (error == SSL_ERROR_WANT_READ) watch(c, EPOLL_CTL_MOD, EPOLLIN);
            else if (error == SSL_ERROR_WANT_WRITE) watch(c, EPOLL_CTL_MOD, EPOLLIN | EPOLLOUT);
            else fail_connection(c);
            return;
        }
        c->handshaken = 1;
        const unsigned char *protocol;
        unsigned int length;
        SSL_get0_alpn_selected(c->ssl, &protocol, &length);
        int h2 = length == 2 && memcmp(protocol, "h2", 2) == 0;
        if (h2 != (config.mode == MODE_H2)) die("the server did not agree to the protocol asked for (ALPN)");
        if (config.mode == MODE_H2) h2_start(c);
        else h1_send_request(c);
    }
    for (;;) {
        if (config.mode == MODE_H2) {
            uint8_t buffer[65536];
            int n = SSL_read(c->ssl, buffer, sizeof buffer);
            if (n <= 0) {
                int error = SSL_get_error(c->ssl, n);
                if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) break;
                fail_connection(c);
                return;
            }
            if (nghttp2_session_mem_recv(c->session, buffer, (size_t)n) < 0) {
                fail_connection(c);
                return;
            }
        } else {
            int n = SSL_read(c->ssl, c->in + c->in_len, (int)(IN_CAP - c->in_len));
            if (n <= 0) {
                int error = SSL_get_error(c->ssl, n);
                if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) break;
                fail_connection(c);
                return;
            }
            c->in_len += (size_t)n;
            int result = h1_responses(c);
            if (result < 0) {
                fail_connection(c);
                return;
            }
            if (result > 0) return;  // reconnected (new-connection mode)
        }
    }
    int sent = config.mode == MODE_H2 ? h2_pump(c) : flush(c);
    if (sent < 0) fail_connection(c);
}

static void *run_worker(void *argument) {
    worker *w = argument;
    for (int i = 0; i < w->count; i++) {
        connection *c = &w->connections[i];
        c->worker = w;
        c->fd = -1;
        if (config.mode == MODE_H2) {
            c->slots = calloc((size_t)config.streams, sizeof(slot));
            for (int s = 0; s < config.streams; s++) c->slots[s].body = malloc(config.template_len);
        }
        open_connection(c);
    }
    struct epoll_event events[256];
    for (;;) {
        uint64_t now = now_ns();
        int busy = 0;
        for (int i = 0; i < w->count && !busy; i++) {
            connection *c = &w->connections[i];
            busy = c->fd >= 0 && (now < config.deadline_ns || c->in_flight);
            if (c->slots)
                for (int s = 0; s < config.streams && !busy; s++) busy = c->slots[s].busy;
        }
        // Requests still in flight at the deadline get one second to finish; they are not counted after it.
        if (!busy || now > config.deadline_ns + 1000000000u) break;
        int n = epoll_wait(w->epoll, events, 256, 10);
        for (int i = 0; i < n; i++) drive(events[i].data.ptr);
    }
    for (int i = 0; i < w->count; i++) close_connection(&w->connections[i]);
    return NULL;
}

static int compare(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void load_template(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) die("cannot read the template");
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    rewind(file);
    config.template = malloc((size_t)length);
    if (fread(config.template, 1, (size_t)length, file) != (size_t)length) die("cannot read the template");
    fclose(file);
    config.template_len = (size_t)length;
    config.tokens = malloc(sizeof(size_t) * ((size_t)length / TOKEN_LEN + 1));
    for (char *at = config.template; (at = memmem(at, config.template_len - (size_t)(at - config.template), TOKEN, TOKEN_LEN));
         at += TOKEN_LEN)
        config.tokens[config.token_count++] = (size_t)(at - config.template);
}

static void parse_url(const char *url) {
    if (sscanf(url, "https://%255[^:/]:%d%1023s", config.host, &config.port, config.path) != 3)
        die("the URL must look like https://127.0.0.1:PORT/PATH");
}

int main(int argc, char **argv) {
    const char *template = NULL, *url = NULL, *latency_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--mode") && v) {
            config.mode = !strcmp(v, "h2") ? MODE_H2 : !strcmp(v, "new") ? MODE_NEW : MODE_H1;
            i++;
        } else if (!strcmp(a, "-c") && v) config.connections = atoi(v), i++;
        else if (!strcmp(a, "-m") && v) config.streams = atoi(v), i++;
        else if (!strcmp(a, "-D") && v) config.duration = atof(v), i++;
        else if (!strcmp(a, "-t") && v) config.threads = atoi(v), i++;
        else if (!strcmp(a, "--pool") && v) config.pool = strtoull(v, NULL, 10), i++;
        else if (!strcmp(a, "--template") && v) template = v, i++;
        else if (!strcmp(a, "--latency-file") && v) latency_file = v, i++;
        else if (!strcmp(a, "--json")) config.json = 1;
        else if (a[0] != '-') url = a;
        else die("usage: tgload [--mode h1|h2|new] [-c N] [-m N] [-D SECONDS] [-t N] [--pool N] [--json] [--latency-file FILE] --template FILE URL");
    }
    if (!template || !url) die("a --template and a URL are needed");
    if (config.connections < 1 || config.streams < 1 || config.threads < 1 || config.duration <= 0) die("counts must be positive");
    if (config.threads > config.connections) config.threads = config.connections;
    load_template(template);
    parse_url(url);

    config.tls = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(config.tls, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(config.tls, SSL_SESS_CACHE_OFF);
    static const unsigned char h2[] = "\x02h2", h1[] = "\x08http/1.1";
    if (config.mode == MODE_H2) SSL_CTX_set_alpn_protos(config.tls, h2, sizeof h2 - 1);
    else SSL_CTX_set_alpn_protos(config.tls, h1, sizeof h1 - 1);

    worker *workers = calloc((size_t)config.threads, sizeof(worker));
    connection *connections = calloc((size_t)config.connections, sizeof(connection));
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    uint64_t started = now_ns();
    config.deadline_ns = started + (uint64_t)(config.duration * 1e9);
    for (int t = 0, first = 0; t < config.threads; t++) {
        worker *w = &workers[t];
        w->count = config.connections / config.threads + (t < config.connections % config.threads);
        w->connections = connections + first;
        first += w->count;
        w->epoll = epoll_create1(EPOLL_CLOEXEC);
        pthread_create(&w->thread, NULL, run_worker, w);
    }
    samples all = {0};
    uint64_t succeeded = 0, failed = 0, errors = 0;
    for (int t = 0; t < config.threads; t++) {
        worker *w = &workers[t];
        pthread_join(w->thread, NULL);
        succeeded += w->succeeded, failed += w->failed, errors += w->errors;
        for (size_t i = 0; i < w->latencies.count; i++) record(&all, (uint64_t)w->latencies.values[i] * 1000);
    }
    double elapsed = config.duration;
    getrusage(RUSAGE_SELF, &after);
    double cpu = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec + after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
                 (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec + after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
    qsort(all.values, all.count, sizeof(uint32_t), compare);
    if (latency_file) {
        FILE *file = fopen(latency_file, "w");
        if (!file) die("cannot write the latency file");
        for (size_t i = 0; i < all.count; i++) fprintf(file, "%u\n", all.values[i]);
        fclose(file);
    }
#define PICK(q) (all.count ? all.values[(size_t)((q) * (double)(all.count - 1))] : 0)
    double rps = (double)succeeded / elapsed, client_cpu_us = succeeded ? cpu / (double)succeeded * 1e6 : 0;
    const char *mode = config.mode == MODE_H2 ? "h2" : config.mode == MODE_NEW ? "new" : "h1";
    if (config.json) {
        printf("{\"mode\":\"%s\",\"connections\":%d,\"streams\":%d,\"seconds\":%.3f,\"succeeded\":%llu,\"failed\":%llu,"
               "\"errors\":%llu,\"rps\":%.1f,\"p50_us\":%u,\"p99_us\":%u,\"p999_us\":%u,\"max_us\":%u,\"client_cpu_us\":%.2f,"
               "\"distinct\":%llu}\n",
               mode, config.connections, config.streams, elapsed, (unsigned long long)succeeded, (unsigned long long)failed,
               (unsigned long long)errors, rps, PICK(0.50), PICK(0.99), PICK(0.999), PICK(1.0), client_cpu_us,
               (unsigned long long)(config.pool && config.pool < succeeded + failed ? config.pool : succeeded + failed));
    } else {
        printf("tgload: %s, %d connections x %d streams, %.1f s, body %zu bytes with %d varying fields, %s\n", mode,
               config.connections, config.streams, elapsed, config.template_len, config.token_count,
               config.pool ? "a pool of bodies" : "every body distinct");
        printf("requests: %llu succeeded, %llu failed (non-200), %llu errors\n", (unsigned long long)succeeded,
               (unsigned long long)failed, (unsigned long long)errors);
        printf("req/s: %.1f\nlatency µs: p50 %u  p99 %u  p99.9 %u  max %u\nclient CPU µs/request: %.2f\n", rps, PICK(0.50),
               PICK(0.99), PICK(0.999), PICK(1.0), client_cpu_us);
    }
#undef PICK
    return errors || failed ? 1 : 0;
}
