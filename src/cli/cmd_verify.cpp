// `qujat verify`: checks every signature of a signed XML, SOAP (WS-Security),
// CMS or PDF (PAdES, verified by render) file and prints one report (ARCHITECTURE.md, verify --json).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

#include "cli/commands.h"
#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/i18n/messages.h"
#include "qujat/pki/chain.h"
#include "qujat/workflow/verification.h"

namespace qujat::cli {

namespace {

struct VerifyArgs {
  std::string file;
  std::vector<std::string> trust;
  std::vector<std::string> ca;
  std::vector<std::string> crls;
  std::vector<std::string> ocsp;
  std::string at;
  std::string content;
  bool online = false;
  bool no_default_trust = false;
  bool json = false;
  std::string lang = "en";
};

// The operator's standing trust store: QUJAT_TRUST and QUJAT_CA hold
// ':'-separated files or directories, used when --trust / --ca are not given
// (a verifier without anchors fails closed, so every call would need them).
std::vector<std::string> paths_or_environment(const std::vector<std::string>& given, const char* variable) {
  if (!given.empty()) return given;
  std::vector<std::string> out;
  const char* value = std::getenv(variable);
  if (value == nullptr) return out;
  std::string_view rest(value);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    if (const auto path = rest.substr(0, colon); !path.empty()) out.emplace_back(path);
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return out;
}

int run_verify(const VerifyArgs& args) {
  const auto lang = i18n::language_from(args.lang);
  if (!lang) throw Error("cli.lang", "--lang takes kk, ru or en, not \"" + args.lang + "\"");
  const Bytes input = read_file(args.file);
  dsig::VerifyOptions options;
  const auto trust = paths_or_environment(args.trust, "QUJAT_TRUST");
  for (const auto& t : trust) options.trust.add_anchors_from(t);
  // Without any anchors, the NCA RK production CAs shipped with qujat (certs/nca/).
  std::optional<std::filesystem::path> default_trust;
  if (trust.empty() && !args.no_default_trust) {
    std::error_code ec;
    default_trust = pki::shipped_nca_certificates(std::filesystem::read_symlink("/proc/self/exe", ec));
    if (default_trust) options.trust.add_anchors_from(default_trust->string());
  }
  for (const auto& c : paths_or_environment(args.ca, "QUJAT_CA")) options.trust.add_intermediates_from(c);
  options.crl_files = args.crls;
  options.ocsp_response_files = args.ocsp;
  options.online = args.online;
  if (!args.at.empty()) {
    options.at = parse_instant_or_date(args.at);
    if (!options.at) throw Error("cli.at", "--at '" + args.at + "' is not a time (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)");
  }

  std::optional<Bytes> content;
  if (!args.content.empty()) content = read_file(args.content);
  auto report = workflow::verify_signed_file(input, options, content ? std::optional<ByteView>(*content) : std::nullopt);
  if (default_trust) report.note({"trust.default_nca", {{"path", default_trust->string()}}});
  if (args.json)
    std::cout << report.to_json_text() << "\n";
  else
    std::cout << report.to_text(*lang);
  return report.exit_code();
}

}  // namespace

void add_verify_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand("verify", "Verify the signatures of a signed XML (XMLDSig), SOAP (WS-Security), CMS or PDF (PAdES) file");
  cmd->add_option("FILE", args->file, "signed XML, SOAP envelope, CMS (DER or base64) or PDF")->required();
  cmd->add_option("--trust", args->trust,
                  "trust anchor certificate file or directory (repeatable; default: $QUJAT_TRUST, ':'-separated, "
                  "else the NCA RK production CAs shipped with qujat)");
  cmd->add_option("--ca", args->ca,
                  "untrusted CA certificate file or directory that may complete the path, e.g. NCA's issuing CA "
                  "when --trust names only the root (repeatable; default: $QUJAT_CA)");
  cmd->add_option("--crl", args->crls, "CRL file (DER or PEM, repeatable)");
  cmd->add_option("--ocsp-response", args->ocsp, "OCSP response file (DER, repeatable)");
  cmd->add_option("--at", args->at, "time of the check (YYYY-MM-DD or ISO 8601 with zone); default now");
  cmd->add_option("--content", args->content, "the signed content of a detached CMS");
  cmd->add_flag("--online", args->online, "fetch CRLs/OCSP from the certificates' URLs");
  cmd->add_flag("--no-default-trust", args->no_default_trust,
                "without --trust / $QUJAT_TRUST, trust nothing instead of the NCA RK production CAs shipped in "
                "certs/nca/ (<prefix>/share/qujat/certs/nca)");
  cmd->add_flag("--json", args->json, "print one JSON object (every finding in kk, ru and en)");
  cmd->add_option("--lang", args->lang, "language of the text report: kk, ru or en (default en)");
  cmd->footer(
      "Exit codes: 0 every signature valid; 1 some signature invalid, untrusted (no anchors counts as "
      "untrusted), expired, revoked, made with an NCA AUTH key, or indeterminate (an algorithm qujat cannot "
      "check, a detached CMS without --content: not valid, but not shown to be forged either); 2 input "
      "unreadable or malformed.");
  cmd->callback([&ctx, args] { ctx.exit_code = run_verify(*args); });
}

}  // namespace qujat::cli
