// The HTTP server on loopback, driven by a raw-socket client: answers and
// their error shape, the limits (413 before a body is read, 431, 408 for a
// slow client), idle and slow clients never blocking others, malformed
// requests, graceful shutdown, TLS, metrics and the masked access log.
// Time bounds are generous: they prove "not blocked", not speed.
#include "qujat/http/server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <regex>
#include <thread>

#include "http/raw_client.h"
#include "qujat/common/error.h"
#include "qujat/http/api_error.h"
#include "qujat/http/json_body.h"
#include "qujat/http/metrics.h"
#include "support/command.h"
#include "support/paths.h"

namespace {

using namespace qujat::http;
using qujat::test::RawClient;
using qujat::test::RawResponse;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kBodyLimit = 64 * 1024;

ServerLimits test_limits() {
  ServerLimits l;
  l.max_body_bytes = kBodyLimit;
  l.max_header_bytes = 16 * 1024;
  l.header_timeout = 2s;
  l.body_timeout = 2s;
  l.idle_timeout = 30s;
  l.write_timeout = 10s;
  return l;
}

// A server with a few routes standing for the service's, and its log lines.
class TestServer {
 public:
  explicit TestServer(ServerLimits limits = test_limits(), std::optional<TlsFiles> tls = std::nullopt) {
    Router router;
    router.add("GET", "/hello", [](Request&) { return Response::json(200, {{"hello", "world"}}); });
    router.add("GET", "/api/v1/applications/{id}", [](Request& r) {
      Response response = Response::json(200, {{"id", r.param("id")}});
      response.log_fields["subject"] = "780111300039";
      return response;
    });
    router.add("GET", "/api/v1/documents/{number}.xml",
               [](Request& r) { return Response::text(200, r.param("number"), "application/xml"); });
    router.add("POST", "/echo", [](Request& r) { return Response::json(200, parse_json_body(r)); });
    router.add(
        "POST", "/upload",
        [](Request& r) {
          return Response::json(200, {{"bytes", r.body.size()}});
        },
        RouteOptions{.max_body_bytes = 1024 * 1024});
    router.add("GET", "/slow", [](Request& r) {
      const int ms = std::stoi(std::string(r.query("ms").value_or("1000")));
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return Response::json(200, {{"slept_ms", ms}});
    });
    router.add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("secret detail"); });
    router.add("GET", "/conflict", [](Request&) -> Response {
      throw ApiError::from(http_messages(), 409, "http.not_found").with_detail("allowed", {"accept", "return"});
    });
    router.add("GET", "/metrics", [this](Request&) { return metrics_response(metrics_); });
    ServerOptions options;
    options.limits = limits;
    options.tls = std::move(tls);
    options.threads = 2;
    server_ = std::make_unique<Server>(options, std::move(router), AccessLog([this](std::string_view line) {
                                         std::lock_guard lock(mutex_);
                                         lines_.emplace_back(line);
                                       }),
                                       &metrics_);
    server_->start();
  }

  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->port(); }
  std::vector<std::string> log_lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  MetricsRegistry metrics_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
  std::unique_ptr<Server> server_;
};

std::string get(std::string_view path, std::string_view extra_headers = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

RawResponse must_answer(RawClient& client, std::chrono::milliseconds within = 10s) {
  auto response = client.read_response(within);
  if (!response) throw std::runtime_error("no answer within " + std::to_string(within.count()) + " ms");
  return *response;
}

RawResponse ask(std::uint16_t port, const std::string& request) {
  RawClient client(port);
  EXPECT_TRUE(client.send(request));
  return must_answer(client);
}

// The contract's error shape, with wording in all three languages.
void expect_error(const RawResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.headers.get("Content-Type"), kJsonContentType);
  const auto body = nlohmann::json::parse(r.body);
  ASSERT_TRUE(body.contains("error")) << r.body;
  EXPECT_EQ(body["error"]["code"], code);
  for (const char* lang : {"kk", "ru", "en"}) EXPECT_FALSE(body["error"]["message"][lang].get<std::string>().empty());
  EXPECT_TRUE(body["error"]["problems"].is_array());
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

TEST(HttpServer, AnswersAndKeepsTheConnection) {
  TestServer t;
  RawClient client(t.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send(get("/hello")));
    const auto r = must_answer(client);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.get("content-type"), kJsonContentType);
    EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json({{"hello", "world"}}));
    const auto id = r.headers.get("X-Request-Id");
    ASSERT_TRUE(id);
    EXPECT_TRUE(std::regex_match(std::string(*id), std::regex("[0-9a-f]{32}"))) << *id;
  }
}

TEST(HttpServer, EchoesASaneRequestIdAndReplacesOthers) {
  TestServer t;
  EXPECT_EQ(ask(t.port(), get("/hello", "X-Request-Id: abc-123.4_5:6\r\n")).headers.get("X-Request-Id"),
            "abc-123.4_5:6");
  const auto r = ask(t.port(), get("/hello", "x-request-id: <script>\r\n"));
  EXPECT_TRUE(std::regex_match(std::string(*r.headers.get("X-Request-Id")), std::regex("[0-9a-f]{32}")));
}

TEST(HttpServer, UnknownPathIs404AndWrongMethod405WithAllow) {
  TestServer t;
  expect_error(ask(t.port(), get("/nothing/here")), 404, "http.not_found");
  const auto r = ask(t.port(), "DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  expect_error(r, 405, "http.method_not_allowed");
  EXPECT_EQ(r.headers.get("Allow"), "GET, HEAD");
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["allowed"], nlohmann::json::array({"GET", "HEAD"}));
}

TEST(HttpServer, HeadAnswersWithoutABody) {
  TestServer t;
  RawClient client(t.port());
  ASSERT_TRUE(client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto head = client.read_response(10s, /*head_only=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.get("Content-Length"), "17");
  // Had a body been sent, it would be read here as the next answer's head.
  ASSERT_TRUE(client.send(get("/hello")));
  EXPECT_EQ(must_answer(client).status, 200);
}

TEST(HttpServer, RouteParametersArePercentDecoded) {
  TestServer t;
  const auto r = ask(t.port(), get("/api/v1/documents/KZ%2DEL%2D2026%2D000017.xml"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "KZ-EL-2026-000017");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/xml");
  expect_error(ask(t.port(), get("/api/v1/documents/KZ%zz.xml")), 400, "http.bad_path");
  expect_error(ask(t.port(), get("/hello?x=%zz")), 400, "http.bad_query");
}

TEST(HttpServer, BodyOverTheLimitIs413BeforeItIsSent) {
  TestServer t;
  RawClient client(t.port());
  // The head of a 100 MB body, and not one byte of the body.
  ASSERT_TRUE(
      client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  "Content-Length: 104857600\r\n\r\n"));
  const auto r = must_answer(client, 5s);
  expect_error(r, 413, "http.body_too_large");
  EXPECT_EQ(r.headers.get("Connection"), "close");
  EXPECT_NE(nlohmann::json::parse(r.body)["error"]["message"]["en"].get<std::string>().find("65536"),
            std::string::npos);
  EXPECT_TRUE(client.closed_by_server(10s));
}

TEST(HttpServer, ChunkedBodyIs413AsSoonAsItPassesTheLimit) {
  TestServer t;
  RawClient client(t.port());
  ASSERT_TRUE(
      client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "2000\r\n" + std::string(0x2000, ' ') + "\r\n";
  std::size_t sent = 0;
  // Up to 100 MB of chunks, stopping at the first sign of an answer.
  while (sent < 100u * 1024 * 1024) {
    const auto n = client.send_until_answer(chunk, 2s);
    sent += n;
    if (n < chunk.size()) break;
  }
  const auto r = must_answer(client, 5s);
  expect_error(r, 413, "http.body_too_large");
  // The answer came long before the client could send 100 MB: what was sent
  // is the limit plus what the socket buffers held.
  EXPECT_LT(sent, 20u * 1024 * 1024);
}

TEST(HttpServer, ARouteMayAllowALargerBody) {
  TestServer t;
  const std::string body(200 * 1024, 'x');
  auto r = ask(t.port(), "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n" + body);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["bytes"], body.size());
  r = ask(t.port(), "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n");
  expect_error(r, 413, "http.body_too_large");
}

TEST(HttpServer, Expect100ContinueGetsTheGoAhead) {
  TestServer t;
  RawClient client(t.port());
  const std::string body = R"({"a": 1})";
  ASSERT_TRUE(
      client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                  "Content-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n"));
  EXPECT_EQ(client.read_head_line(5s), "HTTP/1.1 100 Continue");
  ASSERT_TRUE(client.send(body));
  const auto r = must_answer(client);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json({{"a", 1}}));
}

TEST(HttpServer, AMegabyteHeaderIs431) {
  TestServer t;
  RawClient client(t.port());
  const std::string request = "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(1024 * 1024, 'a') + "\r\n\r\n";
  // Loopback socket buffers may take the whole megabyte before the server
  // has read 16 KiB of it; what matters is the answer.
  client.send_until_answer(request, 10s);
  const auto r = must_answer(client, 5s);
  expect_error(r, 431, "http.header_too_large");
  EXPECT_EQ(r.headers.get("Connection"), "close");
}

TEST(HttpServer, ASlowClientGets408WhileOthersAreServed) {
  TestServer t;
  std::promise<std::pair<int, double>> slow_result;
  std::thread slow([&] {
    RawClient client(t.port());
    const std::string request = get("/hello", "X-Pad: " + std::string(100, 'p') + "\r\n");
    const auto start = SteadyClock::now();
    for (const char c : request) {
      if (!client.send(std::string_view(&c, 1))) break;
      if (auto r = client.read_response(1s)) {
        slow_result.set_value({r->status, std::chrono::duration<double>(SteadyClock::now() - start).count()});
        return;
      }
    }
    slow_result.set_value({0, 0});
  });
  // While the slow client is pending, others are answered promptly.
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 3; ++i) {
    const auto start = SteadyClock::now();
    RawClient other(t.port());
    ASSERT_TRUE(other.send(get("/hello")));
    EXPECT_EQ(must_answer(other, 2s).status, 200);
    EXPECT_LT(SteadyClock::now() - start, 2s);
  }
  slow.join();
  const auto [status, seconds] = slow_result.get_future().get();
  EXPECT_EQ(status, 408);
  EXPECT_GE(seconds, 1.5);  // the configured 2 s header deadline, not an instant refusal
  EXPECT_LT(seconds, 8.0);
}

TEST(HttpServer, ABodyThatStopsComingIs408) {
  TestServer t;
  RawClient client(t.port());
  ASSERT_TRUE(
      client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  "Content-Length: 100\r\n\r\n{\"a\": "));
  const auto r = must_answer(client, 8s);
  expect_error(r, 408, "http.body_timeout");
  EXPECT_EQ(r.headers.get("Connection"), "close");
}

TEST(HttpServer, TwoHundredIdleConnectionsDoNotBlockOthers) {
  TestServer t;
  std::vector<RawClient> idle;
  for (int i = 0; i < 200; ++i) idle.emplace_back(t.port());
  ASSERT_TRUE(wait_until([&] { return t.server().open_connections() >= 200; }, 10s)) << t.server().open_connections();
  for (int i = 0; i < 20; ++i) {
    const auto start = SteadyClock::now();
    RawClient other(t.port());
    ASSERT_TRUE(other.send(get("/hello")));
    EXPECT_EQ(must_answer(other, 2s).status, 200);
    EXPECT_LT(SteadyClock::now() - start, 2s);
  }
  // ... and the idle ones are still held open.
  EXPECT_GE(t.server().open_connections(), 200u);
  for (auto& c : idle) EXPECT_TRUE(c.quiet_and_open());
}

TEST(HttpServer, AnIdleConnectionIsClosedAfterTheIdleTimeout) {
  ServerLimits limits = test_limits();
  limits.idle_timeout = 300ms;
  TestServer t(limits);
  RawClient client(t.port());
  ASSERT_TRUE(client.send(get("/hello")));
  EXPECT_EQ(must_answer(client).status, 200);
  EXPECT_TRUE(client.closed_by_server(5s));
  EXPECT_TRUE(wait_until([&] { return t.server().open_connections() == 0; }, 5s));
}

TEST(HttpServer, MalformedRequestsAre400AndTheServerCarriesOn) {
  TestServer t;
  const std::vector<std::string> bad = {
      "GARBAGE\r\n\r\n",
      "GET /hello\r\n\r\n",
      "GET  /hello HTTP/1.1\r\n\r\n",
      "\x01\x02\x03 / HTTP/1.1\r\n\r\n",
      "GET /hello HTTP/1.1\r\nNoColonHere\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: a\x7f\x01 b\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  };
  for (const auto& request : bad) {
    RawClient client(t.port());
    ASSERT_TRUE(client.send(request));
    const auto r = must_answer(client, 5s);
    expect_error(r, 400, "http.malformed_request");
    EXPECT_EQ(r.headers.get("Connection"), "close") << request;
    EXPECT_TRUE(client.closed_by_server(5s)) << request;
  }
  expect_error(ask(t.port(), "GET hello HTTP/1.1\r\nHost: t\r\n\r\n"), 400, "http.bad_target");
  EXPECT_EQ(ask(t.port(), get("/hello")).status, 200);
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  TestServer t;
  RawClient client(t.port());
  ASSERT_TRUE(client.send(get("/api/v1/applications/1") + get("/api/v1/applications/2")));
  EXPECT_EQ(nlohmann::json::parse(must_answer(client).body)["id"], "1");
  EXPECT_EQ(nlohmann::json::parse(must_answer(client).body)["id"], "2");
}

TEST(HttpServer, HandlerErrorsKeepTheContractShape) {
  TestServer t;
  const auto boom = ask(t.port(), get("/boom"));
  expect_error(boom, 500, "http.internal");
  EXPECT_EQ(boom.body.find("secret"), std::string::npos);
  const auto conflict = ask(t.port(), get("/conflict"));
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(nlohmann::json::parse(conflict.body)["error"]["allowed"], nlohmann::json::array({"accept", "return"}));
  const auto wrong_type = ask(t.port(),
                              "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 2\r\n\r\n{}");
  expect_error(wrong_type, 415, "http.unsupported_media_type");
  const auto malformed = ask(t.port(),
                             "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                             "Content-Length: 5\r\n\r\n{\"a\":");
  expect_error(malformed, 400, "http.malformed_json");
}

TEST(HttpServer, ConnectionsOverTheMaximumGet503) {
  ServerLimits limits = test_limits();
  limits.max_connections = 3;
  TestServer t(limits);
  std::vector<RawClient> held;
  for (int i = 0; i < 3; ++i) held.emplace_back(t.port());
  ASSERT_TRUE(wait_until([&] { return t.server().open_connections() == 3; }, 5s));
  RawClient extra(t.port());
  extra.send(get("/hello"));
  expect_error(must_answer(extra, 5s), 503, "http.overloaded");
}

TEST(HttpServer, GracefulStopFinishesTheRequestInProgress) {
  auto t = std::make_unique<TestServer>();
  const auto port = t->port();
  RawClient busy(port);
  RawClient idle(port);
  ASSERT_TRUE(busy.send(get("/slow?ms=1500")));
  ASSERT_TRUE(wait_until([&] { return t->server().open_connections() == 2; }, 5s));
  std::this_thread::sleep_for(300ms);  // the handler is running
  auto stopped = std::async(std::launch::async, [&] { return t->server().stop(10s); });
  // The idle connection is closed at once, the busy one answered in full.
  EXPECT_TRUE(idle.closed_by_server(1s));
  const auto r = must_answer(busy, 5s);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["slept_ms"], 1500);
  EXPECT_EQ(r.headers.get("Connection"), "close");
  EXPECT_TRUE(stopped.get());
  EXPECT_THROW(RawClient{port}, std::runtime_error);  // no longer accepting
  EXPECT_EQ(t->server().open_connections(), 0u);
}

TEST(HttpServer, StopGivesUpOnARequestPastTheGrace) {
  TestServer t;
  RawClient busy(t.port());
  ASSERT_TRUE(busy.send(get("/slow?ms=1500")));
  std::this_thread::sleep_for(300ms);
  const auto start = SteadyClock::now();
  EXPECT_FALSE(t.server().stop(100ms));
  // stop() waited for the running handler (threads are not killed) but not
  // for more.
  EXPECT_LT(SteadyClock::now() - start, 5s);
}

TEST(HttpServer, MetricsTextParses) {
  TestServer t;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ask(t.port(), get("/hello")).status, 200);
  ask(t.port(), get("/nothing"));
  // A request is counted once its answer is written, so just after the
  // client read it the count may lag.
  RawResponse r;
  wait_until(
      [&] {
        r = ask(t.port(), get("/metrics"));
        return r.body.find("route=\"unmatched\",status=\"404\"} 1\n") != std::string::npos;
      },
      5s);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::regex sample(
      R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? [-+0-9.eEInfNa]+$)re");
  std::istringstream in(r.body);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 10);
  EXPECT_NE(r.body.find("qujat_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 3\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("qujat_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(r.body.find("qujat_http_request_duration_seconds_count{method=\"GET\",route=\"/hello\",status=\"200\"} 3"),
            std::string::npos);
  // At least this request's connection (earlier ones may still be closing).
  std::smatch open;
  ASSERT_TRUE(std::regex_search(r.body, open, std::regex("\nqujat_http_open_connections ([0-9]+)\n")));
  EXPECT_GE(std::stoi(open[1]), 1);
}

TEST(HttpServer, AccessLogHasTheRouteAndMasksIdentifiers) {
  TestServer t;
  const auto r = ask(t.port(), get("/api/v1/applications/780111300039",
                                   "X-Request-Id: r-990340005977\r\nAuthorization: Bearer tok3n-s3cret\r\n"));
  EXPECT_EQ(r.status, 200);
  ask(t.port(), get("/no/780111300039"));
  ASSERT_TRUE(wait_until([&] { return t.log_lines().size() >= 2; }, 5s));
  const auto lines = t.log_lines();
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("780111300039"), std::string::npos) << line;
    EXPECT_EQ(line.find("990340005977"), std::string::npos) << line;
    EXPECT_EQ(line.find("tok3n"), std::string::npos) << line;
    EXPECT_EQ(line.find("/no/"), std::string::npos) << line;  // raw paths never
  }
  // Lines are written once each answer is out, so in either order.
  const bool in_order = nlohmann::json::parse(lines[0])["status"] == 200;
  const auto first = nlohmann::json::parse(lines[in_order ? 0 : 1]);
  EXPECT_EQ(first["route"], "/api/v1/applications/{id}");
  EXPECT_EQ(first["request_id"], "r-9903******77");
  EXPECT_EQ(first["subject"], "7801******39");
  EXPECT_EQ(first["method"], "GET");
  EXPECT_EQ(first["status"], 200);
  EXPECT_GT(first["bytes_out"].get<int>(), 0);
  const auto second = nlohmann::json::parse(lines[in_order ? 1 : 0]);
  EXPECT_TRUE(second["route"].is_null());
  EXPECT_EQ(second["status"], 404);
  EXPECT_EQ(second["error"], "http.not_found");
}

// --- TLS -------------------------------------------------------------------

struct CurlAnswer {
  long status = 0;
  std::string body;
  std::string error;
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

CurlAnswer curl_get(const std::string& url, const std::string& ca_file) {
  CurlAnswer answer;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) answer.error = curl_easy_strerror(rc);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_easy_cleanup(curl);
  return answer;
}

// A throw-away certificate for 127.0.0.1 made by the openssl tool at test
// time; no key is ever committed.
TlsFiles make_test_certificate(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  TlsFiles files{dir / "cert.pem", dir / "key.pem"};
  const auto run = qujat::test::run_command(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout " +
      qujat::test::shell_quote(files.private_key.string()) + " -out " +
      qujat::test::shell_quote(files.certificate_chain.string()) + " 2>&1");
  if (run.exit_code != 0) throw std::runtime_error("openssl req failed: " + run.out);
  return files;
}

TEST(HttpServer, ServesHttpsWithAGeneratedCertificate) {
  const auto dir = qujat::test::build_root() / "http-tls" / std::to_string(::getpid());
  const auto files = make_test_certificate(dir);
  TestServer t(test_limits(), files);
  EXPECT_TRUE(t.server().url().starts_with("https://127.0.0.1:"));
  const auto answer = curl_get(t.server().url() + "/hello", files.certificate_chain.string());
  EXPECT_EQ(answer.error, "");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(nlohmann::json::parse(answer.body), nlohmann::json({{"hello", "world"}}));
  // Plain HTTP on the TLS port is dropped without harm.
  {
    RawClient plain(t.port());
    plain.send(get("/hello"));
    EXPECT_TRUE(plain.closed_by_server(5s));
  }
  EXPECT_EQ(curl_get(t.server().url() + "/hello", files.certificate_chain.string()).status, 200);
  std::filesystem::remove_all(dir);
}

TEST(HttpServer, UnusableTlsFilesStopTheStartNamingTheFile) {
  TlsFiles missing{"/nonexistent/cert.pem", "/nonexistent/key.pem"};
  try {
    TestServer t(test_limits(), missing);
    FAIL() << "started without a certificate";
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "http.tls");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/cert.pem"), std::string::npos);
  }
}

// --- Configuration ---------------------------------------------------------

TEST(HttpServer, PortZeroPicksOneAndATakenPortIsRefused) {
  TestServer t;
  EXPECT_GT(t.port(), 0);
  EXPECT_EQ(t.server().url(), "http://127.0.0.1:" + std::to_string(t.port()));
  ServerOptions options;
  options.port = t.port();
  Server second(options, Router{}, AccessLog::discard());
  try {
    second.start();
    FAIL() << "two servers on one port";
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "http.listen");
    EXPECT_NE(std::string(e.what()).find(std::to_string(t.port())), std::string::npos);
  }
}

TEST(HttpServer, HeaderLimitMustBe8To64KiB) {
  for (const std::size_t bytes : {std::size_t{4096}, std::size_t{128 * 1024}}) {
    ServerOptions options;
    options.limits.max_header_bytes = bytes;
    try {
      Server s(options, Router{}, AccessLog::discard());
      FAIL() << bytes;
    } catch (const qujat::Error& e) {
      EXPECT_EQ(e.code(), "http.bad_limits");
    }
  }
}

TEST(HttpServer, ListenAddressesParse) {
  EXPECT_EQ(parse_listen_address("127.0.0.1:8080").host, "127.0.0.1");
  EXPECT_EQ(parse_listen_address("127.0.0.1:8080").port, 8080);
  EXPECT_EQ(parse_listen_address("[::1]:0").host, "::1");
  EXPECT_EQ(parse_listen_address("localhost:443").port, 443);
  for (const char* bad : {"", "8080", ":80", "host:", "host:99999", "host:8o", "::1:80", "[::1]80"})
    EXPECT_THROW(parse_listen_address(bad), qujat::Error) << bad;
}

// --- The process: SIGTERM ends it cleanly -----------------------------------

TEST(HttpServer, DemoServerExitsZeroOnSigterm) {
  const auto demo = qujat::test::build_root() / "tests" / "qujat_http_demo";
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::execl(demo.c_str(), demo.c_str(), "--listen", "127.0.0.1:0", "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string printed;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') printed += c;
  ::close(out[0]);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(printed, m, std::regex("listening on http://127\\.0\\.0\\.1:([0-9]+)"))) << printed;
  const auto port = static_cast<std::uint16_t>(std::stoi(m[1]));
  RawClient busy(port);
  ASSERT_TRUE(busy.send(get("/api/v1/applications/A-1")));
  EXPECT_EQ(must_answer(busy).status, 200);
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
