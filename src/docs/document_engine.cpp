#include "qujat/docs/document_engine.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "docs/document_xml.h"
#include "docs/form_builder.h"
#include "docs/issued_fields.h"
#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"
#include "qujat/common/source_tree.h"
#include "qujat/docs/decision_boxes.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/i18n/template_root.h"
#include "qujat/xml/document.h"

namespace qujat::docs {
namespace {

constexpr const char* kDefaultVerificationUrl = "https://qujat.example.kz/verify/{number}?code={code}";

std::filesystem::path locate_schemas(const std::optional<std::filesystem::path>& explicit_dir) {
  if (explicit_dir) return *explicit_dir;
  if (const auto& chosen = resource_dirs().schemas; !chosen.empty()) return chosen;
  std::filesystem::path source = source_tree() / "schemas";
  std::error_code ec;
  if (std::filesystem::is_directory(source, ec)) return source;
  return "/usr/share/qujat/schemas";
}

Date today_in_kazakhstan() {
  // Kazakhstan is UTC+5 all year; the issue date is the office's calendar day.
  auto local = now_utc() + std::chrono::hours(5);
  return Date{std::chrono::floor<std::chrono::days>(local)};
}

void replace_all(std::string& s, const std::string& token, const std::string& with) {
  for (auto pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos + with.size()))
    s.replace(pos, token.size(), with);
}

}  // namespace

struct DocumentEngine::Impl {
  std::unique_ptr<i18n::TemplateRoot> templates;
  std::unique_ptr<SchemaSet> schemas;
  std::string verification_url;
};

DocumentEngine::DocumentEngine(const EngineOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->templates = std::make_unique<i18n::TemplateRoot>(i18n::locate_templates(options.templates));
  impl_->schemas = std::make_unique<SchemaSet>(locate_schemas(options.schemas));
  impl_->verification_url = options.verification_url;
  if (impl_->verification_url.empty()) {
    const auto& common = impl_->templates->common();
    impl_->verification_url = common.value("verification_url", std::string(kDefaultVerificationUrl));
  }
}

DocumentEngine::~DocumentEngine() = default;
DocumentEngine::DocumentEngine(DocumentEngine&&) noexcept = default;
DocumentEngine& DocumentEngine::operator=(DocumentEngine&&) noexcept = default;

const i18n::TemplateRoot& DocumentEngine::templates() const { return *impl_->templates; }
const std::filesystem::path& DocumentEngine::schemas_dir() const { return impl_->schemas->dir(); }

std::string DocumentEngine::xml_namespace(const std::string& kind) { return "urn:qujat:doc:" + kind + ":1"; }

static void check_kind(const std::string& kind) {
  if (!model::parse_kind(kind)) throw Error("docs.unknown_kind", "unknown document kind \"" + kind + "\"");
}

PrintedForm DocumentEngine::build_form(const nlohmann::json& application, const DocumentMeta& meta) const {
  check_kind(meta.kind);
  return build_printed_form(*impl_->templates, application, meta);
}

std::string DocumentEngine::build_xml(const nlohmann::json& application, const DocumentMeta& meta) const {
  check_kind(meta.kind);
  auto doc = write_document_xml(*impl_->templates, application, meta);
  auto problems = impl_->schemas->validate(meta.kind, doc.get());
  if (!problems.empty())
    throw Error("docs.invalid_xml", "the " + meta.kind + " document does not match schemas/" + meta.kind + ".xsd",
                problems);
  return serialize(doc.get());
}

std::vector<std::string> DocumentEngine::validate_xml(const std::string& kind, std::string_view xml) const {
  check_kind(kind);
  auto doc = xml::Document::parse(xml);
  return impl_->schemas->validate(kind, doc.native());
}

std::map<std::string, std::string> DocumentEngine::number_prefixes() const {
  std::map<std::string, std::string> out;
  const auto& common = impl_->templates->common();
  for (const char* key : {"number_prefixes", "numbering"}) {
    if (!common.contains(key) || !common[key].is_object()) continue;
    for (const auto& [kind, prefix] : common[key].items()) {
      auto p = prefix.get<std::string>();
      // The country code leads every number (KZ-EXP-2026-000042); the
      // templates give the kind's own code.
      out[kind] = p.starts_with("KZ-") ? p : "KZ-" + p;
    }
  }
  return out;
}

// RFC 3986 percent-encoding of a path segment or query value: document
// numbers may hold "/" or Cyrillic letters ("ОИ-2026/03").
static std::string url_encoded(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string DocumentEngine::verification_url(const std::string& number, const std::string& code) const {
  std::string url = impl_->verification_url;
  replace_all(url, "{number}", url_encoded(number));
  replace_all(url, "{code}", code);
  return url;
}

std::string DocumentEngine::verification_code(std::string_view signed_xml) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(signed_xml.data(), signed_xml.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw OpenSslError("docs.digest", "SHA-256 failed");
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  // 10 bytes = 80 bits = exactly 16 base32 characters, no padding.
  std::uint64_t buffer = 0;
  int bits = 0;
  for (int i = 0; i < 10; ++i) {
    buffer = (buffer << 8) | digest[i];
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

std::optional<std::string> DocumentEngine::own_number(const model::Application& application) {
  const auto own = own_fields(std::string(model::kind_name(application.kind())));
  if (const auto* n = find_path(application.json(), own.object + ".number"); n != nullptr && n->is_string())
    return n->get<std::string>();
  return std::nullopt;
}

std::optional<Date> DocumentEngine::own_issue_date(const model::Application& application) {
  const auto own = own_fields(std::string(model::kind_name(application.kind())));
  if (const auto* d = find_path(application.json(), own.object + "." + own.date); d != nullptr && d->is_string())
    return parse_date(d->get<std::string>());
  return std::nullopt;
}

IssuedDocument DocumentEngine::issue(const model::Application& application, const IssueRequest& request) const {
  IssuedDocument out;
  auto& meta = out.meta;
  meta.kind = std::string(model::kind_name(application.kind()));
  for (const auto& l : request.languages)
    if (l != "kk" && l != "ru") throw Error("docs.language", "unsupported language \"" + l + "\" (kk, ru)");
  meta.languages = request.languages.empty() ? std::vector<std::string>{"kk", "ru"} : request.languages;

  if (request.issue_date)
    meta.issue_date = *request.issue_date;
  else if (const auto own = own_issue_date(application))
    meta.issue_date = *own;
  else
    meta.issue_date = today_in_kazakhstan();
  DecisionBoxes::require(meta.kind, application.json(), meta.issue_date, *impl_->templates);
  if (!request.number.empty())
    meta.number = request.number;
  else if (auto own = own_number(application))
    meta.number = std::move(*own);
  else
    throw Error("docs.no_number", "no document number: the caller draws one (workflow::Issuance) or fixes it");

  const auto& json = application.json();
  out.xml = build_xml(json, meta);
  if (request.signer != nullptr) out.xml = dsig::sign_xml(out.xml, *request.signer);
  out.verification_code = verification_code(out.xml);
  out.verification_url = verification_url(meta.number, out.verification_code);

  out.form = build_form(json, meta);
  out.form.verification_code = out.verification_code;
  out.form.verification_url = out.verification_url;
  out.form.footer = signature_footer(*impl_->templates, out.verification_url, meta.number, out.verification_code);
  return out;
}

}  // namespace qujat::docs
