// The MFA exchange for operators and tests (docs/mfa.md):
//   qujat mfa-worker --config F [--name NAME] [--listen ADDR]
//       delivers the queued guarantee checks (and polls, as configured) until
//       SIGTERM; with --listen also takes the ministry's callbacks at
//       POST /api/v1/mfa/callback (what `qujat serve` does on its own port).
//   qujat mfa-checks --config F [--requeue CHECK_ID]
//       lists the parked checks (JSON), or puts one back in the queue.
//   qujat mfa-mock --listen ADDR --scenario NAME [--record FILE] [--trust PATH]...
//       --key P12 (--password-file F | --password-env VAR) [--callback URL]
//       [--failures K] [--delay SECONDS] [--callback-delay SECONDS]
//       a stand-in MFA gateway; prints "listening on http://HOST:PORT".
#include <unistd.h>

#include <iostream>
#include <memory>
#include <mutex>

#include "cli/commands.h"
#include "qujat/common/error.h"
#include "qujat/config/config.h"
#include "qujat/http/server.h"
#include "qujat/http/termination.h"
#include "qujat/mfa/guarantee_exchange.h"
#include "qujat/mfa/mfa_mock.h"
#include "qujat/workflow/office_runtime.h"

extern char** environ;

namespace qujat::cli {
namespace {

struct MfaArgs {
  std::string config;
  std::string name;
  std::string listen;
  std::string requeue;
  std::string scenario;
  std::string record;
  std::vector<std::string> trust;
  std::string key;
  std::string password_file;
  std::string password_env;
  std::string callback;
  int failures = 3;
  int delay = 35;
  int callback_delay = 2;
};

// JSON lines on stderr, one writer at a time.
mfa::ExchangeLog stderr_log() {
  static std::mutex mutex;
  return [](const nlohmann::json& line) {
    std::lock_guard lock(mutex);
    std::cerr << line.dump() << std::endl;
  };
}

http::ServerOptions server_options(const std::string& listen) {
  const auto address = http::parse_listen_address(listen);
  http::ServerOptions options;
  options.host = address.host;
  options.port = address.port;
  options.threads = 4;
  return options;
}

int run_worker(const MfaArgs& args) {
  http::TerminationSignal termination;
  const auto environment = config::environment_snapshot(environ);
  const auto settings = config::load_config(args.config, environment);
  if (settings.mfa.endpoint.empty())
    throw Error("config.missing", "config: [mfa] endpoint: required for the MFA worker");
  if (settings.mfa.certificate.empty())
    throw Error("config.missing", "config: [mfa] certificate: required for the MFA worker");
  workflow::OfficeRuntime runtime(settings, environment, /*with_issuer_key=*/false);
  const auto configured = mfa::ConfiguredExchange::open(settings, environment, runtime.office(), stderr_log());
  const auto& exchange = configured->exchange();
  std::unique_ptr<http::Server> server;
  if (!args.listen.empty()) {
    http::Router router;
    router.add("POST", "/api/v1/mfa/callback", [&exchange](http::Request& request) {
      return mfa::to_response(exchange.handle_callback(request.body));
    });
    server = std::make_unique<http::Server>(server_options(args.listen), std::move(router));
    server->start();
    std::cout << "listening on " << server->url() << std::endl;
  }
  SystemClock clock;
  const std::string name = args.name.empty() ? "mfa-worker-" + std::to_string(::getpid()) : args.name;
  mfa::GuaranteeCheckWorker worker(exchange, clock, name);
  worker.start();
  std::cout << "mfa worker " << name << " started" << std::endl;
  termination.wait();
  worker.stop();
  if (server) server->stop(std::chrono::seconds(5));
  return 0;
}

int run_checks(const MfaArgs& args) {
  const auto environment = config::environment_snapshot(environ);
  const auto settings = config::load_config(args.config, environment);
  workflow::OfficeRuntime runtime(settings, environment, /*with_issuer_key=*/false);
  if (!args.requeue.empty()) {
    if (!mfa::requeue_check(runtime.database(), args.requeue, now_utc())) {
      std::cerr << "qujat mfa-checks: check " << args.requeue << " is not parked\n";
      return 1;
    }
    std::cout << nlohmann::json{{"requeued", args.requeue}}.dump() << "\n";
    return 0;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : mfa::parked_checks(runtime.database())) out.push_back(mfa::to_json(c));
  std::cout << out.dump(2) << "\n";
  return 0;
}

int run_mock(const MfaArgs& args) {
  http::TerminationSignal termination;
  const auto scenario = mfa::parse_scenario(args.scenario);
  if (!scenario) throw Error("mfa.mock", "unknown scenario '" + args.scenario + "'");
  const auto key = pki::load_pkcs12(args.key, read_password(args.password_env, args.password_file));
  mfa::MfaMockOptions options;
  options.scenario = *scenario;
  for (const auto& t : args.trust) options.trust.emplace_back(t);
  options.record = args.record;
  options.key = &key;
  options.callback_url = args.callback;
  options.failures = args.failures;
  options.delay = std::chrono::seconds(args.delay);
  options.callback_delay = std::chrono::seconds(args.callback_delay);
  mfa::MfaMock mock(options);
  http::Router router;
  mock.add_routes(router);
  auto server_settings = server_options(args.listen);
  // A slow answer must not be cut by the server's own write limit.
  server_settings.limits.write_timeout = std::chrono::seconds(args.delay + 30);
  http::Server server(server_settings, std::move(router));
  server.start();
  std::cout << "listening on " << server.url() << std::endl;
  termination.wait();
  server.stop(std::chrono::seconds(2));
  return 0;
}

template <class F>
void guarded(Context& ctx, const char* command, F&& body) {
  try {
    ctx.exit_code = body();
  } catch (const Error& e) {
    std::cerr << "qujat " << command << ": " << e.full_message() << "\n";
    ctx.exit_code = 2;
  }
}

}  // namespace

void add_mfa_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MfaArgs>();

  auto* worker = app.add_subcommand("mfa-worker", "Deliver queued MFA guarantee checks and take the answers");
  worker->add_option("--config", args->config, "Configuration file")->required();
  worker->add_option("--name", args->name, "This worker's name in claims (default mfa-worker-PID)");
  worker->add_option("--listen", args->listen, "Also take callbacks at POST /api/v1/mfa/callback on HOST:PORT");
  worker->callback([args, &ctx] { guarded(ctx, "mfa-worker", [&] { return run_worker(*args); }); });

  auto* checks = app.add_subcommand("mfa-checks", "List parked MFA guarantee checks, or re-queue one");
  checks->add_option("--config", args->config, "Configuration file")->required();
  checks->add_option("--requeue", args->requeue, "Put this parked check back in the queue");
  checks->callback([args, &ctx] { guarded(ctx, "mfa-checks", [&] { return run_checks(*args); }); });

  auto* mock = app.add_subcommand("mfa-mock", "A stand-in MFA gateway for tests and demonstrations");
  mock->add_option("--listen", args->listen, "HOST:PORT (port 0: the system picks one)")->required();
  mock->add_option("--scenario", args->scenario,
                   "authentic, forged, cannot-determine, slow, error-500, drop, twice, late-callback")
      ->required();
  mock->add_option("--record", args->record, "Append one JSON line per received request to FILE");
  mock->add_option("--trust", args->trust, "Trust anchors for request signatures (without: cryptography only)");
  mock->add_option("--key", args->key, "PKCS#12 key that signs the answers")->required();
  mock->add_option("--password-file", args->password_file, "File holding the key's password");
  mock->add_option("--password-env", args->password_env, "Environment variable holding the key's password");
  mock->add_option("--callback", args->callback, "Callback URL for twice and late-callback");
  mock->add_option("--failures", args->failures, "slow, error-500, drop: the first K requests (default 3)");
  mock->add_option("--delay", args->delay, "slow: seconds before answering (default 35)");
  mock->add_option("--callback-delay", args->callback_delay, "late-callback: seconds before the callback (default 2)");
  mock->callback([args, &ctx] { guarded(ctx, "mfa-mock", [&] { return run_mock(*args); }); });
}

}  // namespace qujat::cli
