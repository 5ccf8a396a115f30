#include "qujat/http/server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including
// <utility>; with GCC 12 in C++20 mode that fails unless it comes first.
#include <utility>
// clang-format off
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
// clang-format on

#include <atomic>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "qujat/common/error.h"
#include "qujat/http/api_error.h"
#include "qujat/http/metrics.h"

namespace qujat::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// How long, and how much, a connection that is being closed after an error
// answer is still read and discarded: closing with unread input makes the
// kernel send RST, which can destroy the answer before the client reads it.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::size_t kFirstReadBytes = 4096;
// How often deadlines are checked: a timeout fires up to this much late.
constexpr auto kSweepInterval = std::chrono::milliseconds(100);

std::string_view sv(beast::string_view s) { return {s.data(), s.size()}; }

std::string generate_request_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t i = 0; i < id.size(); i += 16) {
    std::uint64_t bits = random();
    for (std::size_t j = 0; j < 16; ++j, bits >>= 4) id[i + j] = kHex[bits & 0xF];
  }
  return id;
}

// A client's X-Request-Id is kept when it is short and plain; anything else
// (control characters, JSON, a novel) would be echoed into headers and logs.
bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

// Metric labels must stay few whatever clients send.
std::string_view method_label(std::string_view method) {
  for (const std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    if (method == known) return known;
  return method.empty() ? "none" : "other";
}

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto address = ep.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" + std::to_string(ep.port());
}

class SessionBase;

// What every connection shares: settings, routes, log, metrics and the list
// of open connections (for max_connections and graceful shutdown).
struct Core {
  ServerOptions options;
  Router router;
  AccessLog log;
  const i18n::MessageCatalogue& messages;
  Family<Counter>* requests = nullptr;
  Family<Histogram>* latency = nullptr;
  Gauge* open_gauge = nullptr;
  Counter* rejected = nullptr;
  std::string overloaded_answer;  // the whole 503 answer, head and body

  struct Enrolled {
    SessionBase* session;  // alive while enrolled: a session leaves before its members go
    std::weak_ptr<SessionBase> owner;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::unordered_map<std::uint64_t, Enrolled> sessions;
  std::uint64_t next_id = 0;
  std::atomic<std::size_t> open{0};
  std::atomic<bool> stopping{false};  // answers say Connection: close from now on

  Core(ServerOptions o, Router r, AccessLog l, const i18n::MessageCatalogue& m)
      : options(std::move(o)), router(std::move(r)), log(std::move(l)), messages(m) {}

  std::uint64_t enroll(const std::shared_ptr<SessionBase>& session) {
    std::lock_guard lock(mutex);
    const auto id = next_id++;
    sessions.emplace(id, Enrolled{session.get(), session});
    const auto n = open.fetch_add(1) + 1;
    if (open_gauge != nullptr) open_gauge->set(static_cast<double>(n));
    return id;
  }

  void leave(std::uint64_t id) {
    {
      std::lock_guard lock(mutex);
      sessions.erase(id);
      const auto n = open.fetch_sub(1) - 1;
      if (open_gauge != nullptr) open_gauge->set(static_cast<double>(n));
    }
    changed.notify_all();
  }

  // The shared_ptrs are released by the caller, after the lock: a session's
  // last release runs its destructor, which takes the lock to leave.
  std::vector<std::shared_ptr<SessionBase>> snapshot() {
    std::lock_guard lock(mutex);
    std::vector<std::shared_ptr<SessionBase>> out;
    for (const auto& [id, e] : sessions)
      if (auto s = e.owner.lock()) out.push_back(std::move(s));
    return out;
  }

  // Sessions whose deadline has passed.
  std::vector<std::shared_ptr<SessionBase>> overdue();
};

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // When the current phase must be over, in steady-clock ticks; 0: none.
  // Set on the session's strand, read by the server's deadline sweep: one
  // store per phase instead of a timer armed and cancelled per phase.
  std::atomic<SteadyClock::rep> deadline{0};
  // Runs the deadline on the session's strand if it has really passed.
  virtual void expire() = 0;
  // Both may be called from any thread; the work happens on the session's strand.
  virtual void begin_shutdown() = 0;  // close if idle, else close after the answer
  // Only once no thread runs the io_context (after Server::stop joined them).
  virtual void close_now() = 0;
};

std::vector<std::shared_ptr<SessionBase>> Core::overdue() {
  const auto now = SteadyClock::now().time_since_epoch().count();
  std::vector<std::shared_ptr<SessionBase>> out;
  std::lock_guard lock(mutex);
  for (const auto& [id, e] : sessions) {
    const auto d = e.session->deadline.load(std::memory_order_relaxed);
    if (d != 0 && d <= now)
      if (auto s = e.owner.lock()) out.push_back(std::move(s));
  }
  return out;
}

template <class Stream>
class Session final : public SessionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Session(Core& core, Stream stream, std::string remote)
      : core_(core), stream_(std::move(stream)), remote_(std::move(remote)) {}

  ~Session() override {
    if (enrolled_) core_.leave(id_);
  }

  void start() {
    id_ = core_.enroll(shared_from_this());
    enrolled_ = true;
    asio::dispatch(stream_.get_executor(), [self = self()] { self->on_start(); });
  }

  void begin_shutdown() override {
    asio::post(stream_.get_executor(), [self = self()] { self->on_shutdown(); });
  }

  void close_now() override { close(); }

 private:
  enum class Phase { handshake, idle, head, body, handling, writing, lingering, closed };

  std::shared_ptr<Session> self() { return std::static_pointer_cast<Session>(shared_from_this()); }
  const ServerLimits& limits() const { return core_.options.limits; }
  tcp::socket& socket() { return beast::get_lowest_layer(stream_); }

  void expire() override {
    asio::post(stream_.get_executor(), [self = self()] { self->on_deadline(); });
  }

  // One deadline at a time. When it passes, reading stops and the read's
  // handler, seeing timed_out_, answers 408; a write or handshake past its
  // deadline closes the connection.
  void arm(std::chrono::milliseconds after) {
    timed_out_ = false;
    deadline.store((SteadyClock::now() + after).time_since_epoch().count(), std::memory_order_relaxed);
  }

  // Returns whether the deadline had passed.
  bool disarm() {
    deadline.store(0, std::memory_order_relaxed);
    const bool passed = timed_out_;
    timed_out_ = false;
    return passed;
  }

  void on_deadline() {
    const auto d = deadline.load(std::memory_order_relaxed);
    // Disarmed or moved on since the sweep saw it.
    if (d == 0 || d > SteadyClock::now().time_since_epoch().count()) return;
    deadline.store(0, std::memory_order_relaxed);
    timed_out_ = true;
    if (phase_ == Phase::idle || phase_ == Phase::head || phase_ == Phase::body) {
      // Cancelling alone is not enough: when a read has just completed
      // and its handler is queued, the composed read goes on with a fresh
      // read that no cancel reached. Shutting the receiving side makes
      // every later read end at once; the answer still goes out.
      beast::error_code ignored;
      socket().cancel(ignored);
      socket().shutdown(tcp::socket::shutdown_receive, ignored);
    } else {
      close();
    }
  }

  void on_start() {
    if constexpr (kTls) {
      phase_ = Phase::handshake;
      arm(limits().header_timeout);
      stream_.async_handshake(ssl::stream_base::server, [self = self()](beast::error_code ec) {
        self->disarm();
        if (ec) return self->close();
        self->wait_request();
      });
    } else {
      wait_request();
    }
  }

  void on_shutdown() {
    shutting_down_ = true;
    // A request in its body, in its handler or being answered is finished
    // (and answered with Connection: close); a connection between requests,
    // or still receiving a head, is not one.
    if (phase_ == Phase::handshake || phase_ == Phase::idle || phase_ == Phase::head || phase_ == Phase::lingering)
      close();
  }

  void wait_request() {
    if (shutting_down_) return close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits().max_header_bytes));
    // The body limit depends on the route: checked after the head (on_head).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    request_id_.clear();
    method_.clear();
    route_ = {};
    status_ = 0;
    bytes_in_ = 0;
    error_code_.clear();
    close_after_ = false;
    keep_alive_ = false;
    head_request_ = false;
    version_ = 11;
    log_fields_ = nlohmann::json::object();
    if (buffer_.size() > 0) return read_head();  // a pipelined request is already here
    phase_ = Phase::idle;
    arm(limits().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes), [self = self()](beast::error_code ec, std::size_t n) {
      self->disarm();
      if (ec) return self->close();  // idle too long, client gone, or shutting down
      self->buffer_.commit(n);
      self->read_head();
    });
  }

  void read_head() {
    phase_ = Phase::head;
    started_ = SteadyClock::now();
    started_wall_ = std::chrono::system_clock::now();
    arm(limits().header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = self()](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  static bool client_gone(const beast::error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
           ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated;
  }

  void on_head(beast::error_code ec) {
    const bool timed_out = disarm();
    request_id_ = generate_request_id();
    if (ec) {
      if (timed_out) return fail(408, "http.header_timeout", {{"seconds", seconds(limits().header_timeout)}});
      if (ec == bhttp::error::header_limit)
        return fail(431, "http.header_too_large", {{"limit", std::to_string(limits().max_header_bytes)}});
      if (client_gone(ec)) return close();
      return fail(400, "http.malformed_request", {});
    }
    const auto& req = parser_->get();
    method_ = std::string(sv(req.method_string()));
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    head_request_ = method_ == "HEAD";
    if (const auto it = req.find("X-Request-Id"); it != req.end() && sane_request_id(sv(it->value())))
      request_id_ = std::string(sv(it->value()));
    // A body this server will not read cannot be skipped safely: the
    // connection closes after the answer.
    const bool has_body = !parser_->is_done();
    close_after_ = has_body;

    const auto parts = split_target(sv(req.target()));
    if (!parts) return fail(400, "http.bad_target", {});
    auto query = parse_query(parts->query);
    if (!query) return fail(400, "http.bad_query", {});
    lookup_ = core_.router.find(method_, parts->path);
    switch (lookup_.outcome) {
      case Router::Outcome::bad_path:
        return fail(400, "http.bad_path", {});
      case Router::Outcome::not_found:
        return fail(404, "http.not_found", {});
      case Router::Outcome::method_not_allowed: {
        std::string allow;
        for (const auto& m : lookup_.allow) allow += (allow.empty() ? "" : ", ") + m;
        return fail(405, "http.method_not_allowed",
                    {{"method", std::string(method_label(method_))}, {"allowed", allow}},
                    nlohmann::json{{"allowed", lookup_.allow}}, allow);
      }
      case Router::Outcome::found:
        break;
    }
    route_ = lookup_.pattern;
    query_ = std::move(*query);
    path_ = std::string(parts->path);

    const std::size_t limit = lookup_.options.max_body_bytes.value_or(limits().max_body_bytes);
    if (const auto length = parser_->content_length(); length && *length > limit)
      return fail(413, "http.body_too_large", {{"limit", std::to_string(limit)}});
    if (!has_body) return handle();
    close_after_ = false;
    parser_->body_limit(limit);
    const auto expect = req.find(bhttp::field::expect);
    if (expect != req.end() && iequals(sv(expect->value()), "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      phase_ = Phase::writing;
      arm(limits().write_timeout);
      asio::async_write(stream_, asio::buffer(kContinue), [self = self()](beast::error_code ec, std::size_t) {
        self->disarm();
        if (ec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    phase_ = Phase::body;
    arm(limits().body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, [self = self()](beast::error_code ec, std::size_t) {
      const bool timed_out = self->disarm();
      if (!ec) return self->handle();
      // Whatever went wrong, the rest of the body stays unread.
      self->close_after_ = true;
      if (timed_out) return self->fail(408, "http.body_timeout", {{"seconds", seconds(self->limits().body_timeout)}});
      if (ec == bhttp::error::body_limit) {
        const std::size_t limit = self->lookup_.options.max_body_bytes.value_or(self->limits().max_body_bytes);
        return self->fail(413, "http.body_too_large", {{"limit", std::to_string(limit)}});
      }
      if (client_gone(ec)) return self->close();
      self->fail(400, "http.malformed_request", {});
    });
  }

  void handle() {
    phase_ = Phase::handling;
    auto message = parser_->release();
    Request request;
    request.method = method_;
    request.target = std::string(sv(message.target()));
    request.path = std::move(path_);
    request.query_items = std::move(query_);
    for (const auto& field : message)
      request.headers.add(std::string(sv(field.name_string())), std::string(sv(field.value())));
    request.body = std::move(message.body());
    request.request_id = request_id_;
    request.route = std::string(route_);
    request.params = std::move(lookup_.params);
    request.remote_address = remote_;
    request.tls = kTls;
    bytes_in_ = request.body.size();

    Response response;
    try {
      response = (*lookup_.handler)(request);
    } catch (const ApiError& e) {
      error_code_ = e.code();
      response = Response::error(e);
    } catch (const Error& e) {
      // The message may name internals; the log gets the code, the client a generic 500.
      error_code_ = e.code();
      response = Response::error(ApiError::from(core_.messages, 500, "http.internal"));
    } catch (const std::exception&) {
      error_code_ = "http.internal";
      response = Response::error(ApiError::from(core_.messages, 500, "http.internal"));
    }
    send(std::move(response));
  }

  static std::string seconds(std::chrono::milliseconds d) {
    const auto s = d.count() / 1000.0;
    auto text = std::to_string(s);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text;
  }

  // An answer of the HTTP layer itself, in the contract's error shape.
  void fail(int status, const std::string& code, const std::map<std::string, std::string>& params,
            nlohmann::json details = nlohmann::json::object(), const std::string& allow = "") {
    error_code_ = code;
    if (status == 408 || status == 413 || status == 431 || status == 400) close_after_ = true;
    ApiError error = ApiError::from(core_.messages, status, code, params);
    for (const auto& [key, value] : details.items()) error.with_detail(key, value);
    Response response = Response::error(error);
    if (!allow.empty()) response.headers.set("Allow", allow);
    send(std::move(response));
  }

  void send(Response response) {
    phase_ = Phase::writing;
    status_ = response.status;
    log_fields_ = std::move(response.log_fields);
    response_ = {};
    response_.version(version_ == 10 ? 10 : 11);
    response_.result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers.fields()) {
      // Framing is the server's business.
      if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection"))
        continue;
      response_.insert(name, value);
    }
    if (!response.body.empty() && response_.find(bhttp::field::content_type) == response_.end())
      response_.set(bhttp::field::content_type, kJsonContentType);
    response_.set("X-Request-Id", request_id_);
    response_.keep_alive(keep_alive_ && !close_after_ && !shutting_down_ && !core_.stopping.load());
    if (head_request_) {
      response_.content_length(response.body.size());
    } else {
      response_.body() = std::move(response.body);
      response_.prepare_payload();
    }
    arm(limits().write_timeout);
    bhttp::async_write(stream_, response_, [self = self()](beast::error_code ec, std::size_t written) {
      self->disarm();
      self->record(written);
      if (ec) return self->close();
      if (!self->response_.keep_alive()) return self->linger_close();
      self->wait_request();
    });
  }

  void record(std::size_t bytes_out) {
    const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started_);
    try {
      AccessRecord record;
      record.time = started_wall_;
      record.request_id = request_id_;
      record.method = method_;
      record.route = route_;
      record.status = status_;
      record.duration = duration;
      record.bytes_in = bytes_in_;
      record.bytes_out = bytes_out;
      record.error_code = error_code_;
      record.fields = &log_fields_;
      core_.log.write(record);
      if (core_.requests != nullptr) {
        // A keep-alive connection mostly repeats one route and status: the
        // series found last time saves building labels and two lookups.
        const std::string_view method = method_label(method_);
        if (series_.counter == nullptr || series_.route.data() != route_.data() || series_.status != status_ ||
            series_.method != method) {
          const std::vector<std::string> labels{std::string(method), route_.empty() ? "unmatched" : std::string(route_),
                                                std::to_string(status_)};
          series_ = {route_, method, status_, &core_.requests->with(labels), &core_.latency->with(labels)};
        }
        series_.counter->add();
        series_.histogram->observe(static_cast<double>(duration.count()) / 1e6);
      }
    } catch (const std::exception&) {
      // A failing log sink must not take the connection, or the server, down.
    }
  }

  void linger_close() {
    phase_ = Phase::lingering;
    beast::error_code ec;
    socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    arm(std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime));
    drain();
  }

  void drain() {
    if (scratch_.empty()) scratch_.resize(4096);
    socket().async_read_some(asio::buffer(scratch_), [self = self()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kLingerBytes) return self->close();
      self->drain();
    });
  }

  void close() {
    if (phase_ == Phase::closed) return;
    phase_ = Phase::closed;
    disarm();
    beast::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

  Core& core_;
  Stream stream_;
  std::string remote_;
  std::uint64_t id_ = 0;
  bool enrolled_ = false;

  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  Router::Lookup lookup_;
  Phase phase_ = Phase::idle;
  bool timed_out_ = false;
  bool shutting_down_ = false;

  // The request in progress.
  SteadyClock::time_point started_;
  std::chrono::system_clock::time_point started_wall_;
  std::string request_id_;
  std::string method_;
  std::string path_;
  QueryItems query_;
  std::string_view route_;  // into the router, which outlives every session
  int status_ = 0;
  unsigned version_ = 11;
  std::size_t bytes_in_ = 0;
  std::string error_code_;
  bool close_after_ = false;
  bool keep_alive_ = false;
  bool head_request_ = false;
  nlohmann::json log_fields_ = nlohmann::json::object();

  std::vector<char> scratch_;
  std::size_t drained_ = 0;

  struct Series {
    std::string_view route;
    std::string_view method;
    int status = 0;
    Counter* counter = nullptr;
    Histogram* histogram = nullptr;
  } series_;
};

std::string overloaded_answer(const i18n::MessageCatalogue& messages) {
  const std::string body = Response::error(ApiError::from(messages, 503, "http.overloaded")).body;
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + std::string(kJsonContentType) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" +
         body;
}

void check_limits(const ServerOptions& o) {
  const auto& l = o.limits;
  if (l.max_header_bytes < 8 * 1024 || l.max_header_bytes > 64 * 1024)
    throw Error("http.bad_limits", "max header bytes must be 8 KiB..64 KiB, not " + std::to_string(l.max_header_bytes));
  if (l.max_connections == 0) throw Error("http.bad_limits", "max connections must be at least 1");
  for (const auto d : {l.header_timeout, l.body_timeout, l.idle_timeout, l.write_timeout})
    if (d.count() <= 0) throw Error("http.bad_limits", "HTTP timeouts must be positive");
}

}  // namespace

ListenAddress parse_listen_address(std::string_view text) {
  const auto bad = [&] {
    return Error("http.bad_listen", "listen address is not host:port: '" + std::string(text) + "'");
  };
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') throw bad();
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) throw bad();
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5) throw bad();
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9') throw bad();
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) throw bad();
  return {std::string(host), static_cast<std::uint16_t>(value)};
}

struct Server::Impl {
  // Declared so that the io_context (and the sessions its handlers hold) is
  // destroyed before the TLS context and the core they point to.
  Core core;
  std::optional<ssl::context> tls;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  asio::steady_timer sweep_timer;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;
  bool listening = false;
  bool running = false;
  bool stopped = false;  // a server runs once

  Impl(ServerOptions options, Router router, AccessLog log, const i18n::MessageCatalogue& messages)
      : core(std::move(options), std::move(router), std::move(log), messages),
        io(static_cast<int>(core.options.threads)),
        acceptor(asio::make_strand(io)),
        accept_retry(acceptor.get_executor()),
        sweep_timer(acceptor.get_executor()) {}

  void sweep() {
    sweep_timer.expires_after(kSweepInterval);
    sweep_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      for (const auto& session : core.overdue()) session->expire();
      sweep();
    });
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Out of descriptors (EMFILE) and the like: pause rather than spin.
        accept_retry.expires_after(std::chrono::milliseconds(100));
        accept_retry.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec && acceptor.is_open()) accept();
        });
        return;
      }
      admit(std::move(socket));
      accept();
    });
  }

  void admit(tcp::socket socket) {
    beast::error_code ec;
    if (core.open.load() >= core.options.limits.max_connections) {
      if (core.rejected != nullptr) core.rejected->add();
      if (!tls) {
        socket.non_blocking(true, ec);
        socket.write_some(asio::buffer(core.overloaded_answer), ec);
      }
      socket.shutdown(tcp::socket::shutdown_both, ec);
      socket.close(ec);
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    const auto remote = socket.remote_endpoint(ec);
    const std::string remote_text = ec ? std::string() : endpoint_text(remote);
    if (tls) {
      using TlsStream = beast::ssl_stream<tcp::socket>;
      std::make_shared<Session<TlsStream>>(core, TlsStream(std::move(socket), *tls), remote_text)->start();
    } else {
      std::make_shared<Session<tcp::socket>>(core, std::move(socket), remote_text)->start();
    }
  }

  void run_thread() {
    while (true) {
      try {
        io.run();
        return;
      } catch (const std::exception&) {
        // Handlers catch their own errors; whatever escapes must not end a worker.
      }
    }
  }
};

Server::Server(ServerOptions options, Router router, AccessLog log, MetricsRegistry* metrics) {
  check_limits(options);
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  const auto& messages = http_messages();
  impl_ = std::make_unique<Impl>(std::move(options), std::move(router), std::move(log), messages);
  impl_->core.overloaded_answer = overloaded_answer(messages);
  if (metrics != nullptr) {
    const std::vector<std::string> labels{"method", "route", "status"};
    impl_->core.requests =
        &metrics->counter("qujat_http_requests_total", "HTTP requests answered, by route pattern and status", labels);
    impl_->core.latency =
        &metrics->histogram("qujat_http_request_duration_seconds",
                            "Time from a request's first byte to the end of its answer", labels, latency_buckets());
    impl_->core.open_gauge = &metrics->gauge("qujat_http_open_connections", "Open client connections").with({});
    impl_->core.rejected =
        &metrics->counter("qujat_http_rejected_connections_total", "Connections refused over max_connections").with({});
  }
}

Server::~Server() {
  if (impl_ && impl_->running) stop(std::chrono::milliseconds(0));
}

void Server::set_router(Router router) {
  auto& s = *impl_;
  if (s.running || s.stopped) throw Error("http.listen", "the routes are set before the server starts");
  s.core.router = std::move(router);
}

void Server::listen() {
  auto& s = *impl_;
  if (s.listening) return;
  if (s.running || s.stopped) throw Error("http.listen", "a server starts once");
  const auto& o = s.core.options;
  if (o.tls) {
    s.tls.emplace(ssl::context::tls_server);
    s.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    s.tls->use_certificate_chain_file(o.tls->certificate_chain.string(), ec);
    if (ec)
      throw Error("http.tls", "cannot use TLS certificate file " + o.tls->certificate_chain.string(), {ec.message()});
    // The key's content never reaches a message; its file name does.
    s.tls->use_private_key_file(o.tls->private_key.string(), ssl::context::pem, ec);
    if (ec) throw Error("http.tls", "cannot use TLS private key file " + o.tls->private_key.string(), {ec.message()});
  }
  const std::string where = o.host + ":" + std::to_string(o.port);
  beast::error_code ec;
  tcp::resolver resolver(s.io);
  const auto endpoints = resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) throw Error("http.listen", "cannot resolve listen address " + where, {ec.message()});
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    throw Error("http.listen", "cannot listen on " + where, {ec.message()});
  }
  s.port = s.acceptor.local_endpoint().port();
  s.listening = true;
}

void Server::start() {
  auto& s = *impl_;
  if (s.running || s.stopped) throw Error("http.listen", "a server starts once");
  listen();
  const auto& o = s.core.options;
  s.work.emplace(s.io.get_executor());
  s.accept();
  s.sweep();
  s.running = true;
  for (unsigned i = 0; i < o.threads; ++i) s.threads.emplace_back([&s] { s.run_thread(); });
}

std::uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  const auto& host = impl_->core.options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(impl_->core.options.tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(impl_->port);
}

bool Server::stop(std::chrono::milliseconds grace) {
  auto& s = *impl_;
  if (!s.running) return true;
  s.running = false;
  s.stopped = true;
  s.core.stopping = true;
  const auto deadline = SteadyClock::now() + grace;

  // Shared: if every worker is busy past the deadline, the post runs later.
  auto accepting_stopped = std::make_shared<std::promise<void>>();
  asio::post(s.acceptor.get_executor(), [&s, accepting_stopped] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    s.accept_retry.cancel();
    accepting_stopped->set_value();
  });
  accepting_stopped->get_future().wait_until(deadline);

  for (const auto& session : s.core.snapshot()) session->begin_shutdown();
  bool clean;
  {
    std::unique_lock lock(s.core.mutex);
    clean = s.core.changed.wait_until(lock, deadline, [&] { return s.core.sessions.empty(); });
  }
  s.work.reset();
  s.io.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  // No thread runs the io_context any more, so the sessions left (past the
  // grace) can be closed from here.
  for (const auto& session : s.core.snapshot()) session->close_now();
  beast::error_code ignored;
  s.acceptor.close(ignored);
  return clean;
}

std::size_t Server::open_connections() const { return impl_->core.open.load(); }

std::vector<RouteInfo> Server::routes() const { return impl_->core.router.routes(); }

}  // namespace qujat::http
