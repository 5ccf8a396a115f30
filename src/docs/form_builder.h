// Interprets templates/<kind>/form.json (docs/templates.md) against the
// print view of an application and produces the PrintedForm.
#pragma once

#include <nlohmann/json.hpp>

#include "qujat/docs/document_engine.h"
#include "qujat/docs/printed_form.h"
#include "qujat/i18n/template_root.h"

namespace qujat::docs {

PrintedForm build_printed_form(const i18n::TemplateRoot& templates, const nlohmann::json& application,
                               const DocumentMeta& meta);

// The catalogue entry of a refusal ground: {"code", "kk", "ru"}. `service`
// is the application's `service`; common.json grounds_catalogues maps it to
// templates/grounds/<file>.json. Throws qujat::Error("docs.unknown_ground").
const nlohmann::json& refusal_ground(const i18n::TemplateRoot& templates, const std::string& service, long code);

}  // namespace qujat::docs

namespace qujat::docs {
// common.json signature_footer with {verification_url}, {number}, {code} filled.
BilingualText signature_footer(const i18n::TemplateRoot& templates, const std::string& url, const std::string& number,
                               const std::string& code);
}  // namespace qujat::docs
