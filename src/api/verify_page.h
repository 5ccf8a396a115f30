// The public verification page, GET /verify/{number}?code=... (the target of
// every document's QR code): one page in Kazakh or Russian with a switch to
// the other, readable on a phone, saying whether the document exists and is
// current, superseded or revoked, with only the facts the printed document
// shows (kind, number, dates, issuer). The markup is templates/web/verify.html
// and its wording templates/web/verify.json; nothing here is worded.
#pragma once

#include <optional>
#include <string>

#include "qujat/http/request.h"
#include "qujat/i18n/template_root.h"
#include "qujat/store/documents.h"

namespace qujat::api {

class VerifyPage {
 public:
  // Reads both files now; throws qujat::Error("templates.missing") naming one.
  explicit VerifyPage(const i18n::TemplateRoot& templates);

  // The page for `record` (nullopt: unknown number or wrong code). The
  // language: ?lang=kk|ru, else Accept-Language preferring ru, else kk.
  std::string render(const http::Request& request, const std::string& number, const std::string& code,
                     const std::optional<store::DocumentRecord>& record) const;

 private:
  std::string html_;
  nlohmann::json wording_;
};

// Text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace qujat::api
