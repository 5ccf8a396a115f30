// The HTTP(S) server under `qujat serve` and `qujat mfa-mock`: asynchronous
// (Boost.Beast), so an idle or slow client holds a socket and a few KB, never
// a thread (docs/service.md, "Why this HTTP library"). Handlers run on N
// worker threads; the limits below are enforced before a handler is called.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/http/access_log.h"
#include "qujat/http/router.h"

namespace qujat::http {

class MetricsRegistry;

struct ServerLimits {
  // A body over it is answered 413 before it is read: from Content-Length,
  // or for a chunked body as soon as the limit is passed.
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  // Request line + header fields; more is answered 431. 8 KiB..64 KiB.
  std::size_t max_header_bytes = 16 * 1024;
  // From the request's first byte to the end of its head; then 408 and close.
  std::chrono::milliseconds header_timeout{10'000};
  // From the end of the head to the end of the body; then 408 and close.
  std::chrono::milliseconds body_timeout{30'000};
  // A connection without a request in progress is closed after it.
  std::chrono::milliseconds idle_timeout{60'000};
  // A client that does not take its answer within it is dropped.
  std::chrono::milliseconds write_timeout{30'000};
  // Beyond it a new connection gets 503 and is closed. The default stays
  // under the usual 1024 open files, so a flood meets 503, not EMFILE.
  std::size_t max_connections = 1'000;
};

struct TlsFiles {
  std::filesystem::path certificate_chain;  // PEM, the server's certificate first
  std::filesystem::path private_key;        // PEM, unencrypted
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the system picks one; Server::port() says which
  std::optional<TlsFiles> tls;
  unsigned threads = 2;  // handler threads; 0: one per core
  ServerLimits limits;
};

// "127.0.0.1:8080", "[::1]:8443", "localhost:0" -> host and port; throws
// qujat::Error("http.bad_listen") naming the text.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
ListenAddress parse_listen_address(std::string_view text);

class Server {
 public:
  // Loads templates/messages/http.json (throws if it is missing). With
  // `metrics`, registers and keeps up qujat_http_requests_total and
  // qujat_http_request_duration_seconds (by method, route, status),
  // qujat_http_open_connections and qujat_http_rejected_connections_total.
  // `metrics` must outlive the server.
  Server(ServerOptions options, Router router, AccessLog log = AccessLog::to_stderr(),
         MetricsRegistry* metrics = nullptr);
  ~Server();  // stop(0s) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens without accepting yet: port() and url() are known
  // from here on (a service whose links name its own address builds its
  // routes after this). Same errors as start().
  void listen();
  // Replaces the routes; only before start().
  void set_router(Router router);

  // Binds (unless listen() did), listens and starts the threads; returns
  // once connections are accepted. Throws qujat::Error "http.listen" (address taken, bad host),
  // "http.tls" (certificate or key unusable; names the file).
  void start();

  std::uint16_t port() const;  // the bound port
  std::string url() const;     // "http://127.0.0.1:PORT" ("https://" with TLS)

  // Graceful shutdown: stops accepting, closes connections that have no
  // request in progress, lets requests in progress finish and answers them
  // with Connection: close, for at most `grace`; then closes the rest and
  // joins the threads. A handler still running after `grace` is waited for
  // (threads are not killed). True when every request finished within grace.
  bool stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  std::size_t open_connections() const;
  std::vector<RouteInfo> routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qujat::http
