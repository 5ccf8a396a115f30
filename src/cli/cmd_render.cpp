// `qujat render --kind KIND --in APPLICATION.json --out DIR [--lang kk,ru]
//   [--key P12 (--password-env VAR | --password-file F)] [--number N --date YYYY-MM-DD]
//   [--db FILE|sqlite:PATH|postgresql://... | --db-env VAR] [--templates DIR] [--verification-url PATTERN]`
// A thin front end of workflow::Issuance: checks the application (exit 1
// with every problem when it is not valid), issues the document (a fixed
// --number or the application's own is used as is and nothing is recorded;
// otherwise the number is drawn from the store and the document recorded in
// it in the same transaction: --db, the location in $VAR for --db-env, else
// the SQLite file DIR/qujat.db), writes DIR/NUMBER.xml and DIR/NUMBER.pdf
// (signed when a key is given), and prints the number and the verification
// address. Exit 2: unreadable input or usage error.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/docs/decision_boxes.h"
#include "qujat/docs/document_engine.h"
#include "qujat/i18n/messages.h"
#include "qujat/i18n/template_root.h"
#include "qujat/model/application.h"
#include "qujat/model/check.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/store/database.h"
#include "qujat/workflow/issuance.h"

namespace qujat::cli {
namespace {

struct RenderOptions {
  std::string kind;
  std::string in;
  std::string out;
  std::string lang = "kk,ru";
  std::string key;
  std::string password_env;
  std::string password_file;
  std::string number;
  std::string date;
  std::string db;
  std::string db_env;
  std::string templates;
  std::string verification_url;
};

std::vector<std::string> split_languages(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    auto item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item != "kk" && item != "ru")
      throw Error("render.lang", "--lang takes kk, ru or both (\"kk,ru\"), not \"" + list + "\"");
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// A document number as a file name: path separators and other characters a
// file system may refuse become '_' (numbers like "ОИ-2026/03" exist).
std::string file_stem(const std::string& number) {
  std::string out;
  for (char c : number)
    out += (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|' ||
            static_cast<unsigned char>(c) < 0x20)
               ? '_'
               : c;
  if (out.empty() || out == "." || out == "..") out = "document";
  return out;
}

void print_problems(const std::string& file, const model::CheckReport& report) {
  std::cerr << file << ": " << report.problems.size() << " problem(s); nothing was issued\n";
  for (const auto& p : report.problems)
    std::cerr << "\n"
              << (p.path.empty() ? "/" : p.path) << "  [" << p.code << "]\n"
              << "  kk: " << p.message.kk << "\n"
              << "  ru: " << p.message.ru << "\n"
              << "  en: " << p.message.en << "\n";
}

void print_undecided(const std::string& file, const docs::UndecidedDocument& e, const docs::DocumentEngine& engine) {
  const i18n::MessageCatalogue messages(engine.templates().json("messages/docs.json"));
  std::cerr << file << ": " << e.defects().size() << " problem(s); nothing was issued\n";
  for (const auto& d : e.defects()) {
    const auto m = messages.render(d.code, d.params);
    const auto field = d.params.find("field");
    std::cerr << "\n"
              << (field != d.params.end() ? field->second : std::string("/")) << "  [" << d.code << "]\n"
              << "  kk: " << m.kk << "\n"
              << "  ru: " << m.ru << "\n"
              << "  en: " << m.en << "\n";
  }
}

// --db (a file stays SQLite, as before URLs were accepted), or the location
// held in the environment variable named by --db-env, so a PostgreSQL URL
// with its password need not appear in argv; else the SQLite file DIR/qujat.db.
std::string numbering_store_location(const RenderOptions& o) {
  if (!o.db.empty() && !o.db_env.empty()) throw Error("render.usage", "give --db or --db-env, not both");
  if (!o.db_env.empty()) {
    const char* value = std::getenv(o.db_env.c_str());
    if (value == nullptr || *value == '\0')
      throw Error("render.db", "environment variable " + o.db_env + " (--db-env) is not set");
    return value;
  }
  if (!o.db.empty()) {
    // Anyone on the machine can read argv: say so rather than refuse a working setup.
    if (store::redacted_location(o.db) != o.db)
      std::cerr << "qujat render: warning: the password in --db is visible in the process list; "
                   "use PGPASSWORD, ~/.pgpass or --db-env VAR\n";
    return o.db;
  }
  return (std::filesystem::path(o.out) / "qujat.db").string();
}

int run_render(const RenderOptions& o) {
  auto kind = model::parse_kind(o.kind);
  if (!kind) {
    std::cerr << "qujat render: unknown --kind \"" << o.kind << "\"\n";
    return 2;
  }
  nlohmann::json application;
  try {
    application = model::read_application_file(o.in);
  } catch (const Error& e) {
    std::cerr << "qujat render: " << e.full_message() << "\n";
    return 2;
  }
  std::optional<model::Application> checked;
  try {
    checked.emplace(model::Application::from_json(std::move(application), kind));
  } catch (const model::InvalidApplication& e) {
    print_problems(o.in, e.report());
    return 1;
  }
  workflow::IssueOrder order;
  order.application = &*checked;
  order.languages = split_languages(o.lang);
  order.number = o.number;
  if (!o.date.empty()) {
    order.issue_date = parse_date(o.date);
    if (!order.issue_date) throw Error("render.date", "--date takes YYYY-MM-DD, not \"" + o.date + "\"");
  }

  docs::EngineOptions engine_options;
  if (!o.templates.empty()) engine_options.templates = o.templates;
  engine_options.verification_url = o.verification_url;
  const docs::DocumentEngine engine(engine_options);
  const workflow::Issuance issuance(engine);

  std::optional<pki::KeyStore> key;
  if (!o.key.empty()) {
    key.emplace(pki::load_pkcs12(o.key, read_password(o.password_env, o.password_file)));
    order.signer = &*key;
  } else if (!o.password_env.empty() || !o.password_file.empty()) {
    throw Error("render.usage", "--password-env/--password-file need --key");
  }

  const auto database_location = numbering_store_location(o);
  std::filesystem::create_directories(o.out);
  // A fixed number (or the application's own) needs no store, so it never creates a database.
  const bool numbered = !o.number.empty() || docs::DocumentEngine::own_number(*checked).has_value();
  std::optional<workflow::IssuedRecord> record;
  try {
    record.emplace(numbered ? issuance.make(order) : issuance.issue(*store::open_database(database_location), order));
  } catch (const docs::UndecidedDocument& e) {
    // A licence or permit without its decision data is the input's fault: exit 1, worded like `check`.
    print_undecided(o.in, e, engine);
    return 1;
  }
  const auto& issued = *record;

  const auto& number = issued.document.meta.number;
  const auto xml_path = std::filesystem::path(o.out) / (file_stem(number) + ".xml");
  write_file(xml_path.string(), as_bytes(issued.document.xml));
  const auto pdf_path = std::filesystem::path(o.out) / (file_stem(number) + ".pdf");
  write_file(pdf_path.string(), issued.pdf);

  const char* signed_or_not = order.signer != nullptr ? " (signed)" : " (unsigned)";
  std::cout << "number: " << number << "\n"
            << "issue_date: " << format_date(issued.document.meta.issue_date) << "\n"
            << "xml: " << xml_path.string() << signed_or_not << "\n"
            << "pdf: " << pdf_path.string() << signed_or_not << "\n"
            << "verification_code: " << issued.document.verification_code << "\n"
            << "verification_url: " << issued.document.verification_url << "\n";
  return 0;
}

}  // namespace

void add_render_command(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RenderOptions>();
  auto* cmd = app.add_subcommand(
      "render",
      "Issue a document from a checked application: DIR/NUMBER.xml (the document's data in its kind's namespace, "
      "validated against schemas/<kind>.xsd) and DIR/NUMBER.pdf (the printable form), signed (XMLDSig the way "
      "NCALayer signs, PAdES) when --key is given.");
  cmd->add_option("--kind", o->kind, "Document kind (export-licence, refusal, euc, ...)")->required();
  cmd->add_option("--in", o->in, "Application JSON")->required();
  cmd->add_option("--out", o->out, "Output folder")->required();
  cmd->add_option("--lang", o->lang, "Languages of the document: kk, ru or kk,ru (default)");
  cmd->add_option("--key", o->key, "PKCS#12 key store of the signer");
  cmd->add_option("--password-env", o->password_env, "Environment variable holding the key store password");
  cmd->add_option("--password-file", o->password_file, "File whose first line is the key store password");
  cmd->add_option("--number", o->number, "Fixed document number (golden tests, re-issue); default: from the store");
  cmd->add_option("--date", o->date, "Fixed issue date YYYY-MM-DD; default: today in Kazakhstan");
  cmd->add_option("--db", o->db,
                  "Numbering store: a SQLite file (or sqlite:PATH) or a PostgreSQL URL postgresql://USER@HOST:PORT/DB "
                  "(password from PGPASSWORD or ~/.pgpass); default DIR/qujat.db");
  cmd->add_option("--db-env", o->db_env,
                  "Environment variable holding the numbering store's location (e.g. a PostgreSQL URL with its "
                  "password), instead of --db");
  cmd->add_option("--templates", o->templates, "templates/ folder (default: $QUJAT_TEMPLATES, the built-in one)");
  cmd->add_option("--verification-url", o->verification_url,
                  "Public check address with {number} and {code} (default: templates/common.json verification_url)");
  cmd->callback([o, &ctx] { ctx.exit_code = run_render(*o); });
}

}  // namespace qujat::cli
