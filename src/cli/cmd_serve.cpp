// qujat serve --config FILE: the HTTP service (API.md). Thin: reads the
// configuration, opens the office (OfficeRuntime), builds the routes
// (api::Service) on the HTTP server, prints "listening on URL" once
// connections are accepted, and stops gracefully on SIGTERM or SIGINT
// (exit 0). Start-up and shutdown are logged as JSON lines on stderr, as
// the access log is; secrets are named by their file, never shown.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "qujat/api/login.h"
#include "qujat/api/service.h"
#include "qujat/common/bytes.h"
#include "qujat/common/clock.h"
#include "qujat/common/error.h"
#include "qujat/common/masking.h"
#include "qujat/config/config.h"
#include "qujat/http/metrics.h"
#include "qujat/http/server.h"
#include "qujat/http/termination.h"
#include "qujat/i18n/template_root.h"
#include "qujat/mfa/guarantee_exchange.h"
#include "qujat/web/page_templates.h"
#include "qujat/web/pages.h"
#include "qujat/workflow/office_runtime.h"

extern char** environ;

namespace qujat::cli {
namespace {

struct ServeArgs {
  std::string config;
};

class StartupLog {
 public:
  explicit StartupLog(config::LogLevel level) : level_(level) {}
  void write(config::LogLevel level, const std::string& event, nlohmann::json fields = nlohmann::json::object()) const {
    if (level < level_) return;
    nlohmann::ordered_json line;
    line["time"] = format_instant_local(now_utc());
    line["level"] = std::string(config::log_level_name(level));
    line["event"] = event;
    for (const auto& [k, v] : fields.items()) line[k] = v;
    std::cerr << mask_identifiers(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) << std::endl;
  }

 private:
  config::LogLevel level_;
};

http::ServerOptions server_options(const config::Config& c) {
  http::ServerOptions o;
  o.host = c.server.host;
  o.port = c.server.port;
  if (c.server.https()) o.tls = http::TlsFiles{c.server.tls_cert, c.server.tls_key};
  o.threads = c.server.threads != 0 ? c.server.threads : std::max(1u, std::thread::hardware_concurrency());
  o.limits.max_body_bytes = c.server.max_body_bytes;
  o.limits.header_timeout = c.server.header_timeout;
  o.limits.body_timeout = c.server.body_timeout;
  o.limits.idle_timeout = c.server.idle_timeout;
  o.limits.max_connections = c.server.max_connections;
  return o;
}

int run_serve(const ServeArgs& args) {
  // Before any thread starts, so every thread inherits the blocked signals.
  const http::TerminationSignal termination;
  const auto environment = config::environment_snapshot(environ);
  auto settings = config::load_config(args.config, environment);
  settings.require_for_serve();
  use_configured_resource_dirs(settings);
  const StartupLog log(settings.log.level);

  nlohmann::json summary = nlohmann::json::array();
  std::string lines = settings.redacted_summary(), line;
  for (std::istringstream in(lines); std::getline(in, line);) summary.push_back(line);
  log.write(config::LogLevel::info, "serve.config", {{"file", settings.file.string()}, {"settings", summary}});
  if (settings.clock.fixed)
    log.write(config::LogLevel::warn, "clock.fixed",
              {{"at", format_instant_local(*settings.clock.fixed)},
               {"note", "[clock] fixed is for tests and demos: terms and signatures use this time"}});

  const auto secret_bytes = read_file(settings.auth.token_secret_file);
  std::string secret(as_chars(secret_bytes));

  http::MetricsRegistry metrics;
  http::Server server(server_options(settings), http::Router{}, http::AccessLog::to_stderr(), &metrics);
  server.listen();
  // Without public_url the QR links name the address really bound (port 0 included).
  if (settings.server.public_url.empty()) settings.server.public_url = server.url();

  workflow::OfficeRuntime runtime(settings, environment);
  api::LoginSettings login_settings;
  login_settings.token_secret = std::move(secret);
  login_settings.token_ttl = settings.auth.token_ttl;
  login_settings.challenge_ttl = settings.auth.challenge_ttl;
  for (const auto& [iin, roles] : settings.officers)
    for (const auto role : roles) login_settings.officers[iin].insert(std::string(config::officer_role_name(role)));
  login_settings.trust = runtime.office().signatures;
  const api::EdsLogin login(runtime.database(), runtime.clock(), std::move(login_settings));
  // The MFA exchange: its worker delivers guarantee checks on a thread of
  // its own (never a request thread); the service takes the callbacks.
  const auto mfa_exchange =
      mfa::ConfiguredExchange::open(settings, environment, runtime.office(), [&log](const nlohmann::json& line) {
        log.write(line.contains("error") ? config::LogLevel::warn : config::LogLevel::info, line.value("event", "mfa"),
                  line);
      });
  if (!mfa_exchange)
    log.write(config::LogLevel::warn, "mfa.disabled",
              {{"note", "[mfa] endpoint or certificate is not set: guarantee checks stay queued"}});
  api::ServiceOptions service_options;
  service_options.mfa = mfa_exchange ? &mfa_exchange->exchange() : nullptr;
  const api::Service service(runtime, login, metrics, service_options);
  const SystemClock machine_clock;
  std::unique_ptr<mfa::GuaranteeCheckWorker> mfa_worker;
  if (mfa_exchange) {
    mfa_worker = std::make_unique<mfa::GuaranteeCheckWorker>(mfa_exchange->exchange(), machine_clock,
                                                             "serve-" + std::to_string(::getpid()));
    mfa_worker->start();
  }
  // The web pages (docs/web.md) beside the API, on the service's login.
  const web::PageTemplates page_templates(runtime.engine().templates().path());
  const web::PageServices pages{runtime.office(), runtime.engine(), page_templates,
                                [&login](const std::string& token) { return login.subject_of(token); },
                                web::PageSettings{settings.web.ncalayer_url, settings.server.https(),
                                                  static_cast<long>(settings.auth.token_ttl.count()),
                                                  static_cast<std::size_t>(settings.server.max_body_bytes)}};
  auto router = service.router();
  web::add_pages(router, pages);
  server.set_router(std::move(router));
  server.start();
  log.write(config::LogLevel::info, "serve.started",
            {{"url", server.url()}, {"public_url", runtime.public_url()}, {"routes", service.routes().size()}});
  std::cout << "listening on " << server.url() << std::endl;

  const int signal = termination.wait();
  log.write(config::LogLevel::info, "serve.stopping", {{"signal", signal}});
  const bool clean = server.stop(std::chrono::seconds(10));
  if (mfa_worker) mfa_worker->stop();
  log.write(clean ? config::LogLevel::info : config::LogLevel::warn, "serve.stopped", {{"all_finished", clean}});
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve",
                                 "Run the HTTP service (API.md): EDS login, the applicants' cabinet, the "
                                 "officer desk, public verification; SIGTERM stops it gracefully");
  cmd->add_option("--config", args->config,
                  "qujat configuration (TOML; docs/configuration.md); required: the "
                  "service never starts on silent defaults")
      ->required();
  cmd->callback([&ctx, args] { ctx.exit_code = run_serve(*args); });
}

}  // namespace qujat::cli
