// The procedure for operators and scripts, on the same workflow calls the
// HTTP service makes, against the store of a configuration file:
//   qujat apply  --config F --in SIGNED [--file PATH]...        submit a signed application
//   qujat act    --config F ID ACTION --officer IIN [--body JSON | --body-file F] [--file PATH]...
//   qujat status --config F ID [--officer IIN]
//   qujat audit verify --config F
// Exit codes: 0 done; 1 refused (the reason coded and worded in kk, ru, en);
// 2 unreadable input, bad configuration or usage.
#include <openssl/evp.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/config/config.h"
#include "qujat/store/audit.h"
#include "qujat/workflow/intake.h"
#include "qujat/workflow/office_runtime.h"
#include "qujat/workflow/procedure.h"
#include "qujat/workflow/procedure_error.h"

extern char** environ;

namespace qujat::cli {
namespace {

struct ProcedureArgs {
  std::string config;
  std::string in;
  std::vector<std::string> files;
  std::string id;
  std::string action;
  std::string officer;
  std::string body;
  std::string body_file;
};

std::map<std::string, std::string> environment() { return config::environment_snapshot(environ); }

std::unique_ptr<workflow::OfficeRuntime> open_office(const std::string& file, bool with_issuer_key) {
  const auto settings = config::load_config(file, environment());
  use_configured_resource_dirs(settings);
  return std::make_unique<workflow::OfficeRuntime>(settings, environment(), with_issuer_key);
}

std::string sha256_hex(ByteView data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw OpenSslError("cli.digest", "SHA-256 failed");
  return hex_encode(ByteView(digest, length));
}

std::map<std::string, Bytes> read_files(const std::vector<std::string>& paths) {
  std::map<std::string, Bytes> files;
  for (const auto& path : paths) {
    auto content = read_file(path);
    files.emplace(sha256_hex(content), std::move(content));
  }
  return files;
}

// An officer of the configuration's [officers], by IIN.
workflow::Actor officer_actor(const config::Config& settings, const std::string& iin) {
  const auto it = settings.officers.find(iin);
  if (it == settings.officers.end())
    throw Error("cli.officer", "--officer " + iin + " is not listed in [officers] of the configuration");
  workflow::Actor actor{iin, "", "", {}};
  for (const auto role : it->second) actor.roles.emplace_back(config::officer_role_name(role));
  return actor;
}

int refused(const workflow::ProcedureError& e) {
  nlohmann::json error = {{"code", e.code()}, {"message", e.message().to_json()}};
  if (!e.allowed().empty()) error["allowed"] = e.allowed();
  if (!e.problems().empty()) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : e.problems())
      problems.push_back({{"path", p.path}, {"code", p.code}, {"params", p.params}, {"message", p.message.to_json()}});
    error["problems"] = problems;
  }
  std::cerr << nlohmann::json{{"error", error}}.dump(2) << "\n";
  return 1;
}

int run_apply(const ProcedureArgs& args) {
  auto runtime = open_office(args.config, false);
  workflow::Submission submission{read_file(args.in), read_files(args.files)};
  try {
    const auto record = workflow::Intake(runtime->office()).submit(submission, std::nullopt);
    std::cout << summary_json(record, workflow::Procedure(runtime->office())).dump(2) << "\n";
    return 0;
  } catch (const workflow::ProcedureError& e) {
    return refused(e);
  }
}

int run_act(const ProcedureArgs& args) {
  auto runtime = open_office(args.config, true);
  workflow::ActionRequest request;
  request.action = args.action;
  if (!args.body.empty() && !args.body_file.empty()) throw Error("cli.usage", "give --body or --body-file, not both");
  const std::string body_text = !args.body_file.empty() ? std::string(as_chars(read_file(args.body_file))) : args.body;
  if (!body_text.empty()) {
    request.body = nlohmann::json::parse(body_text, nullptr, false);
    if (request.body.is_discarded() || !request.body.is_object())
      throw Error("cli.body", "--body is not a JSON object");
  }
  request.files = read_files(args.files);
  const workflow::Procedure procedure(runtime->office());
  try {
    const auto outcome = procedure.act(args.id, request, officer_actor(runtime->config(), args.officer));
    auto out = summary_json(outcome.application, procedure);
    out["documents"] = nlohmann::json::array();
    for (const auto& d : outcome.documents)
      out["documents"].push_back({{"number", d.number}, {"kind", d.kind}, {"state", std::string(store::name(d.state))}});
    out["flags"] = outcome.flags;
    std::cout << out.dump(2) << "\n";
    return 0;
  } catch (const workflow::ProcedureError& e) {
    return refused(e);
  }
}

int run_status(const ProcedureArgs& args) {
  auto runtime = open_office(args.config, false);
  const workflow::Procedure procedure(runtime->office());
  // The operator reads as an officer when one is named; else as a clerk who
  // sees what an officer sees (the CLI runs on the office's own machine).
  workflow::Actor viewer = args.officer.empty() ? workflow::Actor{"", "", "operator", {"officer"}}
                                                : officer_actor(runtime->config(), args.officer);
  try {
    const auto view = procedure.view(args.id, viewer);
    std::cout << to_json(view, procedure, runtime->engine(), true).dump(2) << "\n";
    return 0;
  } catch (const workflow::ProcedureError& e) {
    return refused(e);
  }
}

int run_audit_verify(const ProcedureArgs& args) {
  const auto settings = config::load_config(args.config, environment());
  auto database = store::open_database(settings.store.url);
  const auto result = store::AuditLog::verify(*database);
  if (result.intact) {
    std::cout << "audit: intact, " << result.rows << " row(s)\n";
    return 0;
  }
  std::cout << "audit: BROKEN at row " << result.first_broken_seq.value_or(0) << ": " << result.problem << "\n";
  return 1;
}

}  // namespace

void add_procedure_commands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ProcedureArgs>();

  auto* apply = app.add_subcommand("apply", "Submit a signed application (CMS with the application JSON inside) to "
                                            "the store of a configuration: intake checks, registration, term");
  apply->add_option("--config", args->config, "qujat configuration (TOML)")->required();
  apply->add_option("--in", args->in, "the signed application: CMS, DER or base64")->required();
  apply->add_option("--file", args->files, "an attached file named in `attachments` by its SHA-256 (repeatable)");
  apply->callback([&ctx, args] { ctx.exit_code = run_apply(*args); });

  auto* act = app.add_subcommand("act", "Carry out an officer's action on an application (accept, return, "
                                        "record_approval, request_mfa_check, preliminary_refusal, record_hearing, "
                                        "issue, refuse, reissue, ...)");
  act->add_option("--config", args->config, "qujat configuration (TOML)")->required();
  act->add_option("ID", args->id, "application id")->required();
  act->add_option("ACTION", args->action, "the action")->required();
  act->add_option("--officer", args->officer, "IIN of the acting officer (listed in [officers])")->required();
  act->add_option("--body", args->body, "the action's fields as a JSON object (API.md)");
  act->add_option("--body-file", args->body_file, "a file holding the action's JSON object");
  act->add_option("--file", args->files, "a document the officer attaches (repeatable)");
  act->callback([&ctx, args] { ctx.exit_code = run_act(*args); });

  auto* status = app.add_subcommand("status", "Show an application: state, registration and due dates, history, "
                                              "documents, allowed actions");
  status->add_option("--config", args->config, "qujat configuration (TOML)")->required();
  status->add_option("ID", args->id, "application id")->required();
  status->add_option("--officer", args->officer, "IIN of the officer reading it");
  status->callback([&ctx, args] { ctx.exit_code = run_status(*args); });

  auto* audit = app.add_subcommand("audit", "The hash-chained audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Recompute the audit chain: exit 1 naming the first row that was "
                                                 "changed, inserted or removed directly in the database");
  verify->add_option("--config", args->config, "qujat configuration (TOML)")->required();
  verify->callback([&ctx, args] { ctx.exit_code = run_audit_verify(*args); });
}

}  // namespace qujat::cli
