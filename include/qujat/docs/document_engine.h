// The documents engine: from a checked application (APPLICATION-JSON.md)
// and the wording in templates/ to an issued document: its number, the XML of
// its data (validated against schemas/<kind>.xsd, then signed the NCALayer
// way) and the PrintedForm the PDF renderer lays out. Templates and XSDs are
// parsed once per engine; one engine serves many documents and threads.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/docs/printed_form.h"
#include "qujat/model/application.h"

namespace qujat::pki {
struct KeyStore;
}
namespace qujat::i18n {
class TemplateRoot;
}

namespace qujat::docs {

// What the engine adds to the application: the issued number and date.
struct DocumentMeta {
  std::string kind;
  std::string number;
  Date issue_date;
  std::vector<std::string> languages{"kk", "ru"};
};

struct IssueRequest {
  // The document's number: drawn by the caller (workflow::Issuance, from the
  // numbering store) or fixed (golden tests, re-issue). When empty, the
  // application's own number field (licence.number, permit.number,
  // document.number, certificate.number, report.number); without either the
  // issue is refused. The engine never draws numbers itself.
  std::string number;
  // Default: the application's own date field, else today in Kazakhstan (UTC+5).
  std::optional<Date> issue_date;
  std::vector<std::string> languages{"kk", "ru"};
  const pki::KeyStore* signer = nullptr;  // null: unsigned XML
};

struct IssuedDocument {
  DocumentMeta meta;
  std::string xml;  // signed when IssueRequest::signer was given
  PrintedForm form;
  std::string verification_code;  // short code derived from the signed XML
  std::string verification_url;
};

struct EngineOptions {
  std::optional<std::filesystem::path> templates;  // see i18n::locate_templates
  std::optional<std::filesystem::path> schemas;    // default: resource_dirs().schemas, source tree's schemas/, /usr/share/qujat/schemas
  // Public check address; {number} and {code} are filled in. Default:
  // templates/common.json "verification_url", else https://qujat.example.kz/verify/{number}?code={code}
  std::string verification_url;
};

class DocumentEngine {
 public:
  explicit DocumentEngine(const EngineOptions& options = {});
  ~DocumentEngine();
  DocumentEngine(DocumentEngine&&) noexcept;
  DocumentEngine& operator=(DocumentEngine&&) noexcept;

  // The whole issue of a checked application: XML (validated, signed),
  // verification code, form. Throws qujat::Error: "docs.invalid_xml" (the
  // data does not fit the kind's XSD; causes list libxml2's messages),
  // "docs.no_number", "docs.language", "templates.*", "dsig.*", and
  // UndecidedDocument ("docs.box_missing", "docs.validity_*": a licence or
  // permit without its decision data, qujat/docs/decision_boxes.h).
  IssuedDocument issue(const model::Application& application, const IssueRequest& request) const;

  // The number and issue date the application itself carries for its kind
  // (an issued licence's licence.number and licence.issue_date, ...), if any.
  static std::optional<std::string> own_number(const model::Application& application);
  static std::optional<Date> own_issue_date(const model::Application& application);

  // The parts, for callers that need only one of them (raw JSON: tests and
  // benchmarks probe the engine with data the checker would refuse).
  PrintedForm build_form(const nlohmann::json& application, const DocumentMeta& meta) const;
  // Unsigned XML of the document's data, validated against the kind's XSD.
  std::string build_xml(const nlohmann::json& application, const DocumentMeta& meta) const;
  // Problems of `xml` against schemas/<kind>.xsd (empty when valid).
  std::vector<std::string> validate_xml(const std::string& kind, std::string_view xml) const;

  // "KZ-EXP" for "export-licence" (templates/common.json number_prefixes).
  std::map<std::string, std::string> number_prefixes() const;
  // Fills {number} and {code} of the configured verification URL.
  std::string verification_url(const std::string& number, const std::string& code) const;
  // base32 (RFC 4648, no padding) of the first 10 bytes of SHA-256(xml): 16 characters.
  static std::string verification_code(std::string_view signed_xml);

  const i18n::TemplateRoot& templates() const;
  const std::filesystem::path& schemas_dir() const;
  static std::string xml_namespace(const std::string& kind);  // "urn:qujat:doc:<kind>:1"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qujat::docs
