// `qujat check --kind KIND --in FILE [--json]`: is this application complete
// and well-formed? Exit 0 yes; 1 no, with every problem (JSON path, code,
// message in kk, ru and en); 2 the input cannot be read as JSON at all.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "qujat/common/error.h"
#include "qujat/model/application.h"
#include "qujat/model/check.h"

namespace qujat::cli {
namespace {
struct CheckOptions {
  std::string kind;
  std::string in;
  bool json = false;
};

// "-" reads the application from standard input, with the same size limit as a file.
nlohmann::json read_stdin() {
  std::string text;
  char buf[65536];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > model::max_application_bytes) break;  // read_application_json refuses it
  }
  return model::read_application_json(text);
}

std::string kinds_help() {
  std::string s;
  for (auto k : model::all_kinds()) s += (s.empty() ? "" : ", ") + std::string(model::kind_name(k));
  return s;
}

void print_text(const std::string& file, const model::CheckReport& report) {
  if (report.ok()) {
    std::cout << file << ": ok (" << model::kind_name(*report.kind) << ")\n";
    return;
  }
  std::cout << file << ": " << report.problems.size() << " problem(s)\n";
  for (const auto& p : report.problems) {
    std::cout << "\n"
              << (p.path.empty() ? "/" : p.path) << "  [" << p.code << "]\n"
              << "  kk: " << p.message.kk << "\n"
              << "  ru: " << p.message.ru << "\n"
              << "  en: " << p.message.en << "\n";
  }
}

int run_check(const CheckOptions& options) {
  const auto kind = model::parse_kind(options.kind);
  if (!kind) {
    std::cerr << "qujat check: unknown --kind \"" << options.kind << "\"; known kinds: " << kinds_help() << "\n";
    return 2;
  }
  nlohmann::json document;
  try {
    document = options.in == "-" ? read_stdin() : model::read_application_file(options.in);
  } catch (const Error& e) {
    if (options.json) {
      std::cout << nlohmann::json{{"valid", false},
                                  {"file", options.in},
                                  {"error", {{"code", e.code()}, {"message", e.full_message()}}}}
                       .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    }
    std::cerr << "qujat check: " << e.full_message() << "\n";
    return 2;
  }
  const auto report = model::check_application(document, kind);
  if (options.json) {
    auto out = report.to_json();
    out["file"] = options.in;
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    print_text(options.in, report);
  }
  return report.ok() ? 0 : 1;
}
}  // namespace

void add_check_command(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand(
      "check",
      "Check that an application (JSON, see docs/application.md and schemas/application.schema.json) is complete "
      "and well-formed for its document kind: required boxes of the form, IIN/BIN check digits, 10-digit EAEU "
      "commodity codes, control-list codes, ISO country and currency codes, dates, the licence term (from <= to, "
      "at most one year, not beyond the earliest valid_until of the basis and attachments) and that the total "
      "equals the sum of the goods values.");
  cmd->add_option("--kind", options->kind, "Document kind the file must be: " + kinds_help())
      ->required()
      ->option_text("KIND");
  cmd->add_option("--in", options->in, "Application JSON file (at most 4 MiB); - reads standard input")
      ->required()
      ->option_text("FILE");
  cmd->add_flag("--json", options->json,
                "Print one JSON object {valid, kind, file, problems: [{path, code, params, message: {kk, ru, en}}]} "
                "instead of text");
  cmd->footer(
      "Exit codes: 0 complete and well-formed; 1 problems found (each listed with its JSON path, code and message "
      "in Kazakh, Russian and English); 2 unreadable input (missing file, not JSON, larger than 4 MiB) or unknown "
      "--kind.\nExample: qujat check --kind export-licence --in samples/export-licence.json");
  cmd->callback([options, &ctx] { ctx.exit_code = run_check(*options); });
}

}  // namespace qujat::cli
