// qujat_http_demo: the HTTP layer alone, answering an application-status read
// (a ~300-byte JSON body) the way `qujat serve` will, so that
// scripts/bench-service can measure the server without the workflow behind
// it. Not installed; built with the tests.
//
//   qujat_http_demo [--listen HOST:PORT] [--threads N] [--quiet]
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "qujat/common/error.h"
#include "qujat/http/metrics.h"
#include "qujat/http/server.h"
#include "qujat/http/termination.h"
#include "status_body.h"

namespace {

using namespace qujat::http;

Response status_read(Request& request) {
  return Response::json(200, qujat::test::demo_status_body(std::string(request.param("id"))));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    qujat::http::TerminationSignal termination;
    ServerOptions options;
    bool quiet = false;
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (arg == "--listen" && i + 1 < argc) {
        const auto address = parse_listen_address(argv[++i]);
        options.host = address.host;
        options.port = address.port;
      } else if (arg == "--threads" && i + 1 < argc) {
        options.threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
      } else if (arg == "--quiet") {
        quiet = true;
      } else {
        std::cerr << "usage: qujat_http_demo [--listen HOST:PORT] [--threads N] [--quiet]\n";
        return 2;
      }
    }
    MetricsRegistry metrics;
    Router router;
    router.add("GET", "/api/v1/applications/{id}", status_read);
    router.add("GET", "/healthz", [](Request&) { return health_response(); });
    router.add("GET", "/metrics", [&metrics](Request&) { return metrics_response(metrics); });
    Server server(options, std::move(router), quiet ? AccessLog::discard() : AccessLog::to_stderr(), &metrics);
    server.start();
    std::cout << "listening on " << server.url() << std::endl;
    termination.wait();
    return server.stop(std::chrono::seconds(10)) ? 0 : 1;
  } catch (const qujat::Error& e) {
    std::cerr << "qujat_http_demo: " << e.full_message() << "\n";
    return 1;
  }
}
