// qujat_httplib_peer: cpp-httplib 0.11 (Debian libcpp-httplib-dev), the other
// library issue 12 allowed, answering the same status read as
// qujat_http_demo (the same JSON body, tests/http/demo/status_body.h), so that
// scripts/bench-http-libraries can put the two side by side under wrk
// (docs/service.md, "Why this HTTP library"). Built with the benchmarks only.
//
//   qujat_httplib_peer [--threads N]     (default: cpp-httplib's own pool size)
#include <httplib.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>

#include "../../http/demo/status_body.h"

int main(int argc, char** argv) {
  unsigned threads = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    } else {
      std::cerr << "usage: qujat_httplib_peer [--threads N]\n";
      return 2;
    }
  }
  // SIGTERM is taken by a thread that stops the server, as qujat serve stops.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  // As src/http does: without TCP_NODELAY a response written in two parts
  // waits for the client's delayed ACK (40 ms on Linux).
  server.set_tcp_nodelay(true);
  if (threads > 0) server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.Get(R"(/api/v1/applications/([^/]+))", [](const httplib::Request& request, httplib::Response& response) {
    response.set_content(qujat::test::demo_status_body(request.matches[1].str()).dump(), "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::cerr << "qujat_httplib_peer: cannot listen on 127.0.0.1\n";
    return 1;
  }
  std::thread stopper([&server, &stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  });
  std::cout << "listening on http://127.0.0.1:" << port << std::endl;
  const bool listened = server.listen_after_bind();
  stopper.join();
  return listened ? 0 : 1;
}
